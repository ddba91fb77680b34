import { tableName } from "#lib/clients/dynamodb";
import { batchGet } from "#lib/data/batch";
import { ttlAfter } from "#lib/data/keys";
import type { TransactItem } from "#lib/data/transactions";

// The analytics counters: sharded so no counter is a hot key. Each shard is one partition
// `ANALYTICS#<shard 0–15>` holding `COUNTS` (users by level, tier, lifecycle stage, churn risk,
// feedback ratings: one number attribute each) and `DAILY#<YYYY-MM>` (registrations per day,
// attributes `d<DD>`). Writers ADD to one shard; readers sum all shards (one BatchGetItem).
// A change is counted once: its stream record's id is put as a marker (`ANALYTICS_SEEN#<id>`,
// kept 2 days, longer than a stream record lives) in the same transaction as the ADDs.

export const ENTITY = { counters: "ANALYTICS_COUNTERS", daily: "ANALYTICS_DAILY", seen: "ANALYTICS_SEEN" } as const;
export const ANALYTICS_SHARDS = 16;
const SEEN_SECONDS = 2 * 24 * 3600;

export const analyticsCountsKey = (shard: number) => ({ PK: `ANALYTICS#${shard}`, SK: "COUNTS" });
export const analyticsDailyKey = (shard: number, month: string) => ({ PK: `ANALYTICS#${shard}`, SK: `DAILY#${month}` });
export const analyticsSeenKey = (recordId: string) => ({ PK: `ANALYTICS_SEEN#${recordId}`, SK: "SEEN" });

/** ADD of each amount to the item (created on first use). */
function addTo(Key: { PK: string; SK: string }, entity: string, amounts: Record<string, number>): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":entity": entity };
  const adds = Object.entries(amounts).map(([name, n], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = n;
    return `#a${i} :a${i}`;
  });
  return { Update: { TableName: tableName(), Key, UpdateExpression: `SET entity = :entity ADD ${adds.join(", ")}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values } };
}

/**
 * The transaction items that count changes once: a marker per stream record (only if absent) and
 * the ADDs of their summed amounts to one shard (`days`: registrations by YYYY-MM-DD).
 */
export function countOnceItems(recordIds: string[], shard: number, counts: Record<string, number>, days: Record<string, number>): TransactItem[] {
  const markers: TransactItem[] = recordIds.map((id) => ({
    Put: {
      TableName: tableName(),
      Item: { ...analyticsSeenKey(id), entity: ENTITY.seen, ttl: ttlAfter(SEEN_SECONDS) },
      ConditionExpression: "attribute_not_exists(PK)",
    },
  }));
  const byMonth = new Map<string, Record<string, number>>();
  for (const [day, n] of Object.entries(days)) {
    const month = day.slice(0, 7);
    byMonth.set(month, { ...byMonth.get(month), [`d${day.slice(8, 10)}`]: n });
  }
  return [
    ...markers,
    ...(Object.keys(counts).length ? [addTo(analyticsCountsKey(shard), ENTITY.counters, counts)] : []),
    ...[...byMonth].map(([month, amounts]) => addTo(analyticsDailyKey(shard, month), ENTITY.daily, amounts)),
  ];
}

const numbersOf = (item: Record<string, unknown> | undefined, into: Record<string, number>, rename: (name: string) => string | undefined) => {
  for (const [name, value] of Object.entries(item ?? {})) {
    const key = typeof value === "number" ? rename(name) : undefined;
    if (key) into[key] = (into[key] ?? 0) + Number(value);
  }
};

/** Every shard of the counters and of the months' registrations, in one BatchGetItem, summed: `days` by YYYY-MM-DD. */
export async function readAnalytics(months: string[]): Promise<{ totals: Record<string, number>; days: Record<string, number> }> {
  const shards = Array.from({ length: ANALYTICS_SHARDS }, (_, shard) => shard);
  const keys = [...shards.map(analyticsCountsKey), ...months.flatMap((month) => shards.map((shard) => analyticsDailyKey(shard, month)))];
  const items = await batchGet(keys);
  const totals: Record<string, number> = {};
  const days: Record<string, number> = {};
  items.forEach((item, i) => {
    if (i < ANALYTICS_SHARDS) return numbersOf(item, totals, (name) => name);
    const month = String(keys[i]?.SK).slice("DAILY#".length);
    numbersOf(item, days, (name) => (/^d\d\d$/.test(name) ? `${month}-${name.slice(1)}` : undefined));
  });
  return { totals, days };
}
