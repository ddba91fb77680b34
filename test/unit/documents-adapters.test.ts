import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.DOCUMENTS_BUCKET = "unit-documents";
  process.env.AWS_ACCESS_KEY_ID = "AKIDUNITTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "unit-secret";
});

const { deleteObjectsUnder, headObject, presignUpload } = await import("#lib/clients/s3");
const { shardedPage } = await import("#lib/data/query");
const { dynamodb } = await import("#lib/clients/dynamodb");

const s3Mock = mockClient(S3Client);
const dynamoMock = mockClient(dynamodb);

beforeEach(() => {
  s3Mock.reset();
  dynamoMock.reset();
});

describe("S3 adapter", () => {
  it("signs the content type and length into upload URLs, with the expiry asked for", async () => {
    const signed = await presignUpload("documents/u1/s1/FRONT", "image/jpeg", 1234, 900);
    const url = new URL(signed.url);
    expect(url.pathname).toContain("documents/u1/s1/FRONT");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual(expect.arrayContaining(["content-length", "content-type", "host"]));
    expect(signed.headers).toEqual({ "content-type": "image/jpeg", "content-length": "1234" });
  });

  it("reports a missing object as undefined and other failures as errors", async () => {
    s3Mock
      .on(HeadObjectCommand)
      .rejectsOnce(Object.assign(new Error("nf"), { name: "NotFound", $metadata: { httpStatusCode: 404 } }))
      .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }))
      .resolvesOnce({ ContentType: "image/png", ContentLength: 5 });
    expect(await headObject("k")).toBeUndefined();
    await expect(headObject("k")).rejects.toThrow("denied");
    expect(await headObject("k")).toEqual({ contentType: "image/png", size: 5 });
  });

  it("deletes every object of a user, page by page", async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: "documents/u1/a" }, { Key: "documents/u1/b" }], IsTruncated: true, NextContinuationToken: "t" })
      .resolvesOnce({ Contents: [{ Key: "documents/u1/c" }], IsTruncated: false });
    s3Mock.on(DeleteObjectsCommand).resolves({});
    expect(await deleteObjectsUnder("documents/u1/")).toBe(3);
    expect(s3Mock.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({ Bucket: "unit-documents", Prefix: "documents/u1/" });
    expect(s3Mock.commandCalls(ListObjectsV2Command)[1]?.args[0].input.ContinuationToken).toBe("t");
    expect(s3Mock.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete?.Objects?.map((o) => o.Key))).toEqual([
      "documents/u1/a",
      "documents/u1/b",
      "documents/u1/c",
    ]);
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
