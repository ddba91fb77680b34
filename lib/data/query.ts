import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { dynamodb } from "#lib/clients/dynamodb";

/** Every item a query matches, following LastEvaluatedKey. For bounded sets only (one user's items, one shard). */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of a sharded index key: the shards are queried in parallel and their items concatenated. */
export async function queryAllShards(shards: number, inputFor: (shard: number) => QueryCommandInput): Promise<Record<string, unknown>[]> {
  return (await Promise.all(Array.from({ length: shards }, (_, shard) => queryAll(inputFor(shard))))).flat();
}
