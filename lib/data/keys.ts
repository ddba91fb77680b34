import { createHash } from "node:crypto";

// Helpers every entity's keys use. Each entity module (lib/data/<entity>.ts) builds its own keys;
// README "Table design" lists them all with their access patterns.

/** Listings by status are spread over this many GSI1 partitions so no status becomes a hot key. */
export const STATUS_SHARDS = 16;

export const shardOf = (id: string, shards = STATUS_SHARDS) => createHash("sha1").update(id).digest().readUInt16BE(0) % shards;

/** The partition of everything that belongs to one user. */
export const userPk = (userId: string) => `USER#${userId}`;

/** Epoch seconds for DynamoDB TTL. DynamoDB Local never deletes expired items, so readers also filter. */
export const ttlAfter = (seconds: number, from = Date.now()) => Math.floor(from / 1000) + seconds;

/** Strips the table's key and tag attributes from an item, leaving the entity's own fields. */
export function fieldsOf(item: Record<string, unknown>): Record<string, unknown> {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, GSI2PK: _g2, GSI2SK: _g2s, GSI3PK: _g3, GSI3SK: _g3s, entity: _e, ttl: _ttl, ...rest } = item;
  return rest;
}
