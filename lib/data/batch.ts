import { BatchGetCommand, BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";

// The one way to read or write several items in one round trip. DynamoDB may hand back part of a
// batch as unprocessed (throttling); those are retried with exponential backoff and full jitter,
// and what is still left after the last round is an error, never a silently missing item.

export type Key = { PK: string; SK: string };
export type Item = Record<string, unknown>;

export const BATCH_ROUNDS = 6;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 800;
const GET_LIMIT = 100;
const WRITE_LIMIT = 25;

/** Some keys or writes stayed unprocessed after every retry: the table is throttling. */
export class UnprocessedItemsError extends Error {
  constructor(readonly left: number) {
    super(`${left} item(s) left unprocessed by DynamoDB after ${BATCH_ROUNDS} rounds`);
    this.name = "UnprocessedItemsError";
  }
}

const backoff = (round: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** round)));

const chunked = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const keyOf = (item: Item) => `${String(item.PK)}\u0000${String(item.SK)}`;

/** The items of the keys, in the order of the keys (undefined where there is none). */
export async function batchGet(keys: Key[], options: { consistent?: boolean } = {}): Promise<(Item | undefined)[]> {
  const found = new Map<string, Item>();
  await Promise.all(
    chunked(keys, GET_LIMIT).map(async (chunk) => {
      let pending: Item[] = chunk;
      for (let round = 0; pending.length > 0; round++) {
        if (round >= BATCH_ROUNDS) throw new UnprocessedItemsError(pending.length);
        if (round > 0) await backoff(round);
        const out = await dynamodb.send(
          new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: options.consistent ?? false } } }),
        );
        for (const item of out.Responses?.[tableName()] ?? []) found.set(keyOf(item), item);
        pending = (out.UnprocessedKeys?.[tableName()]?.Keys as Item[] | undefined) ?? [];
      }
    }),
  );
  return keys.map((k) => found.get(keyOf(k)));
}

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** Writes every request (puts and deletes, 25 per call, chunks in parallel). Not atomic: for idempotent writes. */
export async function batchWrite(requests: WriteRequest[]): Promise<void> {
  await Promise.all(
    chunked(requests, WRITE_LIMIT).map(async (chunk) => {
      let pending: WriteRequest[] = chunk;
      for (let round = 0; pending.length > 0; round++) {
        if (round >= BATCH_ROUNDS) throw new UnprocessedItemsError(pending.length);
        if (round > 0) await backoff(round);
        const out = await dynamodb.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
        pending = (out.UnprocessedItems?.[tableName()] as WriteRequest[] | undefined) ?? [];
      }
    }),
  );
}
