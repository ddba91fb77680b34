import { deltaOf, type Delta, isEmpty, merged } from "#lib/analytics/counts";
import { ANALYTICS_SHARDS, countOnceItems } from "#lib/data/analytics";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";

// The stream consumer's work (functions/analytics-stream): each change of a user or feedback item
// becomes a delta of the counters (lib/analytics/counts.ts); changes that count nothing (most
// user writes: a sign-in, a score that kept its tier) cost no write. The rest are counted in
// groups, one transaction each: a marker per stream record (put only if absent) and the summed
// ADDs to one random shard. So a redelivered or retried batch counts nothing twice (its markers
// exist: the group's transaction is cancelled and its records are counted one by one, each
// skipped if counted already), and a failure counts nothing at all (the batch is thrown back).

/** One stream record, its images unmarshalled. */
export interface Change {
  recordId: string;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

/** Records per transaction: markers + at most 3 counter items stay within DynamoDB's 100. */
const GROUP = 48;

const randomShard = () => Math.floor(Math.random() * ANALYTICS_SHARDS);

async function countOnce(recordIds: string[], delta: Delta): Promise<boolean> {
  try {
    await transactWrite({ TransactItems: countOnceItems(recordIds, randomShard(), delta.counts, delta.days) });
    return true;
  } catch (error) {
    if (error instanceof TransactionCancelled && error.reasons.includes("ConditionalCheckFailed")) return false; // a marker exists
    throw error;
  }
}

/** Counts the changes; returns how many were counted now (not before, and not empty). */
export async function countChanges(changes: Change[]): Promise<{ counted: number; skipped: number; empty: number }> {
  const deltas = changes.map((c) => ({ recordId: c.recordId, delta: deltaOf(c.oldImage, c.newImage) })).filter((d) => !isEmpty(d.delta));
  const outcome = { counted: 0, skipped: 0, empty: changes.length - deltas.length };
  for (let i = 0; i < deltas.length; i += GROUP) {
    const group = deltas.slice(i, i + GROUP);
    if (await countOnce(group.map((d) => d.recordId), merged(group.map((d) => d.delta)))) {
      outcome.counted += group.length;
      continue;
    }
    for (const { recordId, delta } of group) {
      if (await countOnce([recordId], delta)) outcome.counted++;
      else outcome.skipped++;
    }
  }
  return outcome;
}
