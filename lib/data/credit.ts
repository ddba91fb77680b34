import { shardOf, userPk } from "#lib/data/keys";

// The credit items of a user, in the user's partition: one stored behaviour event per eventId
// (the idempotency guard), the counters (monthly buckets) and the score history. The changed-user
// marker is a pair of sparse GSI2 attributes on the user item, spread over CREDIT_DIRTY_SHARDS.

export const ENTITY = { event: "CREDIT_EVENT", counters: "CREDIT_COUNTERS", history: "CREDIT_HISTORY" } as const;

export const CREDIT_DIRTY_SHARDS = 16;
export const CREDIT_HISTORY_PREFIX = "CREDIT_HISTORY#";
export const EVENT_RETENTION_SECONDS = 3 * 366 * 24 * 3600;
export const HISTORY_RETENTION_SECONDS = 2 * 366 * 24 * 3600;

export const creditDirtyShardKey = (shard: number) => `CREDIT_DIRTY#${shard}`;

export const creditEventKey = (userId: string, eventId: string) => ({ PK: userPk(userId), SK: `CREDIT_EVENT#${eventId}` });
export const creditCountersKey = (userId: string) => ({ PK: userPk(userId), SK: "CREDIT" });
export const creditHistoryKey = (userId: string, at: string) => ({ PK: userPk(userId), SK: `${CREDIT_HISTORY_PREFIX}${at}` });
/** The marker's GSI2 entry on the user item: the planner reads one partition per shard, never the table. */
export const creditDirtyIndex = (userId: string) => ({
  GSI2PK: creditDirtyShardKey(shardOf(userId, CREDIT_DIRTY_SHARDS)),
  GSI2SK: userId,
});

export interface CreditHistoryRecord {
  at: string;
  score: number;
  tier: string;
  factors: { name: string; score: number; weight: number }[];
  reasonCodes: { code: string; text: string }[];
}

export const toCreditHistoryItem = (userId: string, record: CreditHistoryRecord, ttl: number) => ({
  ...creditHistoryKey(userId, record.at),
  entity: ENTITY.history,
  ...record,
  ttl,
});

export const fromCreditHistoryItem = (item: Record<string, unknown>): CreditHistoryRecord => ({
  at: String(item.at),
  score: Number(item.score),
  tier: String(item.tier),
  factors: item.factors as CreditHistoryRecord["factors"],
  reasonCodes: item.reasonCodes as CreditHistoryRecord["reasonCodes"],
});
