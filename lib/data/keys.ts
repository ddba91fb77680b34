import { createHash } from "node:crypto";

// Every key of the single table, in one place. See README "Table design" for the access patterns.

/** Status listings are spread over this many GSI1 partitions so no status becomes a hot key. */
export const STATUS_SHARDS = 16;

export const shardOf = (id: string, shards = STATUS_SHARDS) => createHash("sha1").update(id).digest().readUInt16BE(0) % shards;

export const keys = {
  user: (userId: string) => ({ PK: `USER#${userId}`, SK: "PROFILE" }),
  userStatusIndex: (userId: string, status: string, createdAt: string) => ({
    GSI1PK: `USERS#${status}#${shardOf(userId)}`,
    GSI1SK: `${createdAt}#${userId}`,
  }),
  unique: (kind: "USERNAME" | "EMAIL" | "PHONE" | "DOCUMENT", hash: string) => ({ PK: `UNIQUE#${kind}#${hash}`, SK: "UNIQUE" }),
  code: (userId: string, purpose: "VERIFY" | "RESET") => ({ PK: `USER#${userId}`, SK: `CODE#${purpose}` }),
  session: (userId: string, sessionId: string) => ({ PK: `USER#${userId}`, SK: `SESSION#${sessionId}` }),
  token: (userId: string, jti: string) => ({ PK: `USER#${userId}`, SK: `TOKEN#${jti}` }),
  refresh: (refreshHash: string) => ({ PK: `REFRESH#${refreshHash}`, SK: "REFRESH" }),
  device: (userId: string, deviceHash: string) => ({ PK: `USER#${userId}`, SK: `DEVICE#${deviceHash}` }),
  activity: (userId: string, at: string, id: string) => ({ PK: `USER#${userId}`, SK: `ACTIVITY#${at}#${id}` }),
  throttle: (scope: "ACCOUNT" | "IP", id: string) => ({ PK: `THROTTLE#${scope}#${id}`, SK: "THROTTLE" }),
};

export const userPk = (userId: string) => `USER#${userId}`;

/** Epoch seconds for DynamoDB TTL. DynamoDB Local never deletes expired items, so readers also filter. */
export const ttlAfter = (seconds: number, from = Date.now()) => Math.floor(from / 1000) + seconds;
