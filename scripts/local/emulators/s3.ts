import fs from "node:fs";
import path from "node:path";
import { type CORSRule, CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import { byType, constantCase, type CreatedResources, errorName, LOCAL_CLIENT, type Props, withoutIntrinsics } from "../config";
import { httpAnswers } from "../net";
import { type Emulator, nodeModule } from "./emulator";

// s3rver: buckets and objects are files in <data>/s3, so they survive a restart.

export const s3: Emulator = {
  name: "s3",
  launch: (ctx) => {
    const dir = path.join(ctx.dataDir, "s3");
    fs.mkdirSync(dir, { recursive: true });
    return {
      command: process.execPath,
      args: [nodeModule(ctx, "s3rver/bin/s3rver.js"), "-d", dir, "-a", ctx.host, "-p", String(ctx.port)],
      cwd: ctx.dataDir,
    };
  },
  ready: (ctx) => httpAnswers(ctx.url),
  createResources: async (config, ctx) => {
    // s3rver only accepts its own access key; the checksum setting keeps streamed uploads intact.
    const client = new S3Client({
      ...LOCAL_CLIENT,
      endpoint: ctx.url,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const out: CreatedResources = { env: {}, created: [] };
    try {
      for (const [logicalId, res] of byType(config, "AWS::S3::Bucket")) {
        const props = withoutIntrinsics(res.Properties ?? {});
        const bucket = String(props.BucketName);
        if (await createBucket(client, bucket, props)) out.created.push(`bucket ${bucket}`);
        out.env[constantCase(logicalId)] = bucket;
      }
    } finally {
      client.destroy();
    }
    return out;
  },
};

/** Creates the bucket unless it exists, and applies its CORS rules; true if it was created. */
async function createBucket(client: S3Client, bucket: string, props: Props): Promise<boolean> {
  let created = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!["NotFound", "NoSuchBucket"].includes(errorName(error))) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    created = true;
  }
  // Browser uploads with presigned URLs need the bucket's CORS rules locally as well.
  const cors = (props.CorsConfiguration as { CorsRules?: Props[] } | undefined)?.CorsRules;
  if (cors?.length) {
    const rules: CORSRule[] = cors.map((r) => ({
      ID: r.Id as string | undefined,
      AllowedHeaders: r.AllowedHeaders as string[] | undefined,
      AllowedMethods: r.AllowedMethods as string[],
      AllowedOrigins: r.AllowedOrigins as string[],
      ExposeHeaders: r.ExposedHeaders as string[] | undefined,
      MaxAgeSeconds: r.MaxAge as number | undefined,
    }));
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
  }
  return created;
}
