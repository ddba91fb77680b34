import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockAwsFetch } from "#test/unit/support/fetch";

vi.hoisted(() => {
  process.env.DOCUMENTS_BUCKET = "unit-documents";
  process.env.AWS_ACCESS_KEY_ID = "AKIDUNITTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "unit-secret";
});

const { copyObject, deleteObjectsUnder, headObject, presignUpload } = await import("#lib/clients/s3");
const { shardedPage } = await import("#lib/data/query");
const { dynamodb } = await import("#lib/clients/dynamodb");

const dynamoMock = mockClient(dynamodb);
let aws: ReturnType<typeof mockAwsFetch> | undefined;

beforeEach(() => {
  dynamoMock.reset();
});
afterEach(() => aws?.restore());

describe("S3 adapter", () => {
  it("signs the content type and length into upload URLs, with the expiry asked for", async () => {
    const signed = await presignUpload("documents/u1/s1/FRONT", "image/jpeg", 1234, 900);
    const url = new URL(signed.url);
    expect(url.pathname).toContain("documents/u1/s1/FRONT");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual(expect.arrayContaining(["content-length", "content-type", "host"]));
    expect(signed.headers).toEqual({ "content-type": "image/jpeg", "content-length": "1234" });
  });

  it("reports a missing object as undefined and other failures as errors, with a signed HEAD", async () => {
    const answers = [{ status: 404 }, { status: 403 }, { status: 200, headers: { "content-type": "image/png", "content-length": "5" } }];
    aws = mockAwsFetch({ "/documents/k": () => answers.shift() ?? { status: 500 } });
    expect(await headObject("documents/k")).toBeUndefined();
    await expect(headObject("documents/k")).rejects.toThrow("S3 answered HTTP 403");
    expect(await headObject("documents/k")).toMatchObject({ contentType: "image/png", size: 5 });
    expect(aws.seen[0]).toMatchObject({ method: "HEAD", url: expect.objectContaining({ hostname: "unit-documents.s3.us-east-1.amazonaws.com" }) });
    expect(aws.seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDUNITTEST\//);
  });

  it("returns the ETag with type and size", async () => {
    aws = mockAwsFetch({ "/documents/k": { headers: { "content-type": "image/png", "content-length": "5", etag: '"abc"' } } });
    expect(await headObject("documents/k")).toEqual({ contentType: "image/png", size: 5, etag: '"abc"' });
  });

  it("copies with a signed PUT naming the source and the ETag it must still have, and returns the copy's ETag", async () => {
    aws = mockAwsFetch({ "/submitted/u1/s1/a1/FRONT": { body: "<CopyObjectResult><ETag>&quot;e1&quot;</ETag></CopyObjectResult>" } });
    expect(await copyObject("documents/u1/s1/FRONT", "submitted/u1/s1/a1/FRONT", '"e0"')).toBe('"e1"');
    const [put] = aws.seen;
    expect(put).toMatchObject({ method: "PUT", headers: { "x-amz-copy-source": "/unit-documents/documents/u1/s1/FRONT", "x-amz-copy-source-if-match": '"e0"' } });
    expect(put?.headers.authorization?.split("SignedHeaders=")[1]).toMatch(/x-amz-copy-source;x-amz-copy-source-if-match/);
  });

  it.each([
    ["the source is gone", 404],
    ["the source changed since it was checked", 412],
  ])("answers undefined when %s (%i)", async (_what, status) => {
    aws = mockAwsFetch({ "/submitted/k": { status } });
    expect(await copyObject("documents/k", "submitted/k", '"e0"')).toBeUndefined();
  });

  it("treats a 200 without an ETag (an error inside a copy's body) and other statuses as failures", async () => {
    aws = mockAwsFetch({ "/submitted/k": { body: "<Error><Code>InternalError</Code></Error>" } });
    await expect(copyObject("documents/k", "submitted/k")).rejects.toThrow("S3 answered HTTP 502");
    aws.restore();
    aws = mockAwsFetch({ "/submitted/k": { status: 403 } });
    await expect(copyObject("documents/k", "submitted/k")).rejects.toThrow("S3 answered HTTP 403");
  });

  it("deletes every object of a user, page by page", async () => {
    const pages = [
      "<ListBucketResult><Contents><Key>documents/u1/a</Key></Contents><Contents><Key>documents/u1/b</Key></Contents><IsTruncated>true</IsTruncated><NextContinuationToken>t&amp;1</NextContinuationToken></ListBucketResult>",
      "<ListBucketResult><Contents><Key>documents/u1/c</Key></Contents><IsTruncated>false</IsTruncated></ListBucketResult>",
    ];
    const deleted: string[] = [];
    aws = mockAwsFetch({
      "/": () => ({ body: pages.shift() ?? "" }),
      "/documents/u1/a": (r) => (deleted.push(r.url.pathname), { status: 204 }),
      "/documents/u1/b": (r) => (deleted.push(r.url.pathname), { status: 204 }),
      "/documents/u1/c": (r) => (deleted.push(r.url.pathname), { status: 204 }),
    });
    expect(await deleteObjectsUnder("documents/u1/")).toBe(3);
    const lists = aws.calls("/");
    expect(lists[0]?.url.searchParams.get("prefix")).toBe("documents/u1/");
    expect(lists[1]?.url.searchParams.get("continuation-token")).toBe("t&1");
    expect(deleted.sort()).toEqual(["/documents/u1/a", "/documents/u1/b", "/documents/u1/c"]);
    expect(aws.seen.filter((r) => r.method === "DELETE")).toHaveLength(3);
  });
});

describe("sharded listing", () => {
  it("merges the shards oldest first and continues after the cursor", async () => {
    // Shard n holds items at minute n and n + 16.
    dynamoMock.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      const shard = Number(input.ExpressionAttributeValues[":pk"]?.split("#").at(-1));
      const after = input.ExpressionAttributeValues[":after"] ?? "";
      const items = [shard, shard + 16]
        .map((m) => ({ GSI1SK: `2026-01-01T00:${String(m).padStart(2, "0")}#id${m}`, id: m }))
        .filter((i) => i.GSI1SK > after);
      return { Items: items };
    });
    const first = await shardedPage("REVIEWS#PENDING_REVIEW", 5);
    expect(first.items.map((i) => i.id)).toEqual([0, 1, 2, 3, 4]);
    expect(dynamoMock.commandCalls(QueryCommand)).toHaveLength(16);
    const ids: unknown[] = [...first.items.map((i) => i.id)];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await shardedPage("REVIEWS#PENDING_REVIEW", 5, cursor);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(ids).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it("refuses a forged cursor", async () => {
    await expect(shardedPage("USERS#ACTIVE", 5, "bm9wZQ")).rejects.toMatchObject({ status: 400, code: "INVALID_CURSOR" });
  });
});
