import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { uploadSite } from "#scripts/web-upload";
import { stack } from "#test/steps/stack";
import { PRIVACY_POLICY_VERSION } from "../../web/src/privacy-policy";

// The built web app (built by the test stack's set-up into its data dir): the size of the first page,
// the front door serving pages and proxying the API, and the upload `npm run deploy` does, run
// against the local S3 (the stack creates the web bucket of serverless.yml there too).

const dist = stack().webDist;

describe("the web app build", () => {
  it("loads at most 150 KB of gzipped JavaScript on its first page", () => {
    const html = fs.readFileSync(path.join(dist, "index.html"), "utf8");
    const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(fs.readFileSync(path.join(dist, file))).byteLength, 0);
    console.log(`first page: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped / 1024).toBeLessThanOrEqual(150);
  });

  it("asks consent to the privacy policy version the server requires", () => {
    // serverless.yml's param is what every stage's handlers get as PRIVACY_POLICY_VERSION.
    const doc = parse(fs.readFileSync(path.join(process.cwd(), "serverless.yml"), "utf8"), { logLevel: "silent", strict: false }) as { params: { default: { privacyPolicyVersion: string } } };
    expect(PRIVACY_POLICY_VERSION).toBe(doc.params.default.privacyPolicyVersion);
  });

  it("serves pages, built files and the API on one origin", async () => {
    const web = stack().urls.web;
    for (const page of ["/", "/login", "/account/credit", "/console/users"]) {
      const res = await fetch(`${web}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(await res.text()).toContain('<div id="app">');
    }
    const health = await fetch(`${web}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const me = await fetch(`${web}/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get("content-type")).toMatch(/problem\+json/);
    const missing = await fetch(`${web}/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
  });

  it("uploads the build to the web bucket with the right types and caching, and removes old files", async () => {
    const { env } = stack();
    const bucket = env.WEB_BUCKET as string;
    const client = new S3Client({ region: "us-east-1", endpoint: env.S3_ENDPOINT, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "assets/old-build.js", Body: "old" }));
    const { uploaded, removed } = await uploadSite(client, bucket, dist);
    expect(uploaded.at(-1)).toBe("index.html");
    expect(removed).toContain("assets/old-build.js");
    const index = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "index.html" }));
    expect(index.ContentType).toMatch(/text\/html/);
    expect(index.CacheControl).toBe("no-cache");
    const asset = uploaded.find((k) => k.startsWith("assets/") && k.endsWith(".js")) as string;
    const js = await client.send(new GetObjectCommand({ Bucket: bucket, Key: asset }));
    expect(js.CacheControl).toContain("immutable");
    client.destroy();
  });
});
