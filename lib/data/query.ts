import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decodeCursor, nextCursor, type Position } from "#lib/data/cursor";
import { STATUS_SHARDS } from "#lib/data/keys";

type Item = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item a query matches, following LastEvaluatedKey. For bounded sets only (one user's items, one shard). */
export async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of a sharded index key: the shards are queried in parallel and their items concatenated. */
export async function queryAllShards(shards: number, inputFor: (shard: number) => QueryCommandInput): Promise<Item[]> {
  return (await Promise.all(Array.from({ length: shards }, (_, shard) => queryAll(inputFor(shard))))).flat();
}

/** One page of one partition's query; the cursor is the page's LastEvaluatedKey, bound to `listing`. */
export async function queryPage(listing: string, input: Omit<QueryCommandInput, "TableName">, limit: number, cursor?: string): Promise<Page<Item>> {
  const out = await dynamodb.send(
    new QueryCommand({ ...input, TableName: tableName(), Limit: limit, ExclusiveStartKey: await decodeCursor(listing, cursor) }),
  );
  return { items: out.Items ?? [], nextCursor: await nextCursor(listing, out.LastEvaluatedKey as Position | undefined) };
}

/**
 * One page of a listing spread over STATUS_SHARDS GSI1 partitions (`<prefix>#<shard>`), merged in
 * sort-key order (oldest first). The first `limit` items after the cursor are always among the
 * first `limit` of each shard, so one Query per shard (in parallel) is enough; the cursor holds the
 * last sort key returned.
 */
export async function shardedPage(prefix: string, limit: number, cursor?: string, index: "GSI1" | "GSI3" = "GSI1"): Promise<Page<Item>> {
  const listing = `sharded:${index}:${prefix}`;
  const [pk, sk] = [`${index}PK`, `${index}SK`];
  const after = (await decodeCursor(listing, cursor))?.after;
  if (after !== undefined && typeof after !== "string") throw new Error("sharded cursor without a sort key");
  const shards = await Promise.all(
    Array.from({ length: STATUS_SHARDS }, (_, shard) =>
      dynamodb.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: index,
          KeyConditionExpression: after ? `${pk} = :pk AND ${sk} > :after` : `${pk} = :pk`,
          ExpressionAttributeValues: { ":pk": `${prefix}#${shard}`, ...(after ? { ":after": after } : {}) },
          Limit: limit,
        }),
      ),
    ),
  );
  const merged = shards.flatMap((out) => out.Items ?? []).sort((a, b) => String(a[sk]).localeCompare(String(b[sk])));
  const more = merged.length > limit || shards.some((out) => out.LastEvaluatedKey !== undefined);
  const items = merged.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: await nextCursor(listing, more && last ? { after: String(last[sk]) } : undefined) };
}
