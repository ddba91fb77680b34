import fs from "node:fs";
import path from "node:path";
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { contentTypeOf } from "./content-types";

// Uploads the built web app (web/dist) to its bucket: content-hashed assets cached for a year,
// index.html and the other files revalidated on every visit, so a deploy shows at once. Files of
// older builds are removed afterwards (never before: pages already open keep their chunks until then).



function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

export interface UploadResult {
  uploaded: string[];
  removed: string[];
}

export async function uploadSite(client: S3Client, bucket: string, distDir: string): Promise<UploadResult> {
  if (!fs.existsSync(path.join(distDir, "index.html"))) throw new Error(`${distDir} has no index.html: build the web app first (npm run web:build)`);
  const keys = filesUnder(distDir).map((file) => path.relative(distDir, file).split(path.sep).join("/"));
  // index.html last: it names the new assets, which must be there before anyone loads it.
  keys.sort((a, b) => Number(a === "index.html") - Number(b === "index.html"));
  for (const key of keys) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: fs.readFileSync(path.join(distDir, key)),
        ContentType: contentTypeOf(key),
        CacheControl: key.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      }),
    );
  }
  const current = new Set(keys);
  const stale: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key && !current.has(object.Key)) stale.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (let i = 0; i < stale.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
  return { uploaded: keys, removed: stale };
}
