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
  /** An identity-document submission, in its owner's partition (the owner lists theirs with one Query). */
  document: (userId: string, submissionId: string) => ({ PK: `USER#${userId}`, SK: `DOCUMENT#${submissionId}` }),
  /** Staff find a submission by id alone through this sparse GSI2 entry (KEYS_ONLY, then GetItem). */
  documentById: (submissionId: string) => ({ GSI2PK: `SUBMISSION#${submissionId}`, GSI2SK: "SUBMISSION" }),
  /** Review queue by status, spread over STATUS_SHARDS partitions; oldest first within a shard. */
  reviewQueueIndex: (submissionId: string, status: string, submittedAt: string) => ({
    GSI1PK: `REVIEWS#${status}#${shardOf(submissionId)}`,
    GSI1SK: `${submittedAt}#${submissionId}`,
  }),
  /** Append-only audit entry, in the target user's partition; GSI1 lists the same entry by actor. */
  audit: (targetUserId: string, at: string, entryId: string) => ({ PK: `AUDIT#USER#${targetUserId}`, SK: `${at}#${entryId}` }),
  auditByActorIndex: (actorId: string, at: string, entryId: string) => ({ GSI1PK: `AUDIT#ACTOR#${actorId}`, GSI1SK: `${at}#${entryId}` }),
};

export const userPk = (userId: string) => `USER#${userId}`;

// Credit (issue 4), in the user's partition: one stored event per eventId (the idempotency guard),
// the counters and the score history. The changed-user marker is a pair of GSI2 attributes on the
// user item (sparse, sharded): the worker's one write per user stores the score and clears it.
export const CREDIT_DIRTY_SHARDS = 16;
export const CREDIT_HISTORY_PREFIX = "CREDIT_HISTORY#";
export const creditDirtyShardKey = (shard: number) => `CREDIT_DIRTY#${shard}`;

export const creditKeys = {
  event: (userId: string, eventId: string) => ({ PK: `USER#${userId}`, SK: `CREDIT_EVENT#${eventId}` }),
  counters: (userId: string) => ({ PK: `USER#${userId}`, SK: "CREDIT" }),
  /** The marker's GSI2 entry on the user item: the planner reads one partition per shard, never the table. */
  dirtyIndex: (userId: string) => ({ GSI2PK: creditDirtyShardKey(shardOf(userId, CREDIT_DIRTY_SHARDS)), GSI2SK: userId }),
  history: (userId: string, at: string) => ({ PK: `USER#${userId}`, SK: `${CREDIT_HISTORY_PREFIX}${at}` }),
  run: (runId: string) => ({ PK: "JOB#CREDIT_RECOMPUTE", SK: `RUN#${runId}` }),
};

/** Epoch seconds for DynamoDB TTL. DynamoDB Local never deletes expired items, so readers also filter. */
export const ttlAfter = (seconds: number, from = Date.now()) => Math.floor(from / 1000) + seconds;
