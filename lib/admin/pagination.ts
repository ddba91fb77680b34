import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { STATUS_SHARDS } from "#lib/data/keys";
import { badRequest } from "#lib/errors";

// Cursors are opaque to clients (base64url JSON) but checked here, so a cursor can only continue
// the listing it came from: a forged one is a 400, never a DynamoDB error.

export const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw badRequest("INVALID_CURSOR", "The cursor is not valid for this listing.");
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of a listing spread over STATUS_SHARDS GSI1 partitions (`<prefix>#<shard>`), merged in
 * sort-key order (oldest first). The first `limit` items after the cursor are always among the
 * first `limit` of each shard, so one Query per shard (in parallel) is enough; the cursor is the
 * last sort key returned.
 */
export async function shardedPage(prefix: string, limit: number, cursor?: string): Promise<Page<Record<string, unknown>>> {
  const after = cursor ? decodeCursor(cursor, (v): v is { after: string } => typeof (v as { after?: unknown })?.after === "string").after : undefined;
  const shards = await Promise.all(
    Array.from({ length: STATUS_SHARDS }, (_, shard) =>
      dynamodb.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "GSI1",
          KeyConditionExpression: after ? "GSI1PK = :pk AND GSI1SK > :after" : "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": `${prefix}#${shard}`, ...(after ? { ":after": after } : {}) },
          Limit: limit,
        }),
      ),
    ),
  );
  const merged = shards
    .flatMap((out) => out.Items ?? [])
    .sort((a, b) => String(a.GSI1SK).localeCompare(String(b.GSI1SK)));
  const more = merged.length > limit || shards.some((out) => out.LastEvaluatedKey !== undefined);
  const items = merged.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor({ after: String(last.GSI1SK) }) : null };
}
