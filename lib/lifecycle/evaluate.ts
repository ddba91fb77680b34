import { batchGet } from "#lib/data/batch";
import { creditCountersKey } from "#lib/data/credit";
import { dueLifecycleEntries, reschedule, signalItems, storeLifecycle } from "#lib/data/lifecycle-store";
import { fromUserItem, userKey } from "#lib/data/user";
import { activeDaysOf } from "#lib/credit/counters";
import { DAY_MS, evaluateLifecycle, type Lifecycle, lifecycleChanged, SIGNAL_DAYS } from "#lib/lifecycle/rules";
import { logger } from "#lib/logger";

// The nightly step `lifecycle` (lib/jobs/steps.ts): evaluates the users whose lifecycle-due entry
// (GSI2 `LIFECYCLE_DUE#<shard>`, sort key = due time) has come, never scanning. An entry is put
// by activity (sign-in, behaviour event) and verification, and moved by each evaluation to the
// instant the stage can next change by time alone, so a user who does nothing is looked at only
// at 7, 30 and 90 days. Each user: one consistent BatchGetItem (user, credit counters) and two
// Queries (complaint links, the last 30 days of score history); the user item is written only
// when the stage, flag, reasons or last activity changed (the analytics stream counts that
// change), then the entry is moved unless activity re-marked the user meanwhile. Rerunning a
// night changes nothing more: the same facts give the same evaluation.

const LANES = 8;
const COUNTED = new Set(["ACTIVE", "SUSPENDED"]);

export type LifecycleResult = "changed" | "unchanged" | "skipped";

/** Evaluates one due user at asOf and reschedules the entry seen (`sk`). */
export async function evaluateUser(userId: string, sk: string, asOf: string): Promise<LifecycleResult> {
  const [userItem, counters] = await batchGet([userKey(userId), creditCountersKey(userId)], { consistent: true });
  const user = fromUserItem(userItem);
  if (!user || !COUNTED.has(user.status)) {
    // Not verified yet (verification marks it again) or deleted: out of the index.
    await reschedule(userId, undefined, sk);
    return "skipped";
  }
  const before = (userItem?.lifecycle ?? undefined) as Partial<Lifecycle> | undefined;
  const since = new Date(Date.parse(asOf) - SIGNAL_DAYS * DAY_MS).toISOString();
  const { complaintsAt, scores } = await signalItems(userId, since);
  const after = evaluateLifecycle({
    asOf,
    createdAt: user.createdAt,
    activityAt: [user.lastLoginAt, before?.lastActiveAt],
    activeDays: activeDaysOf(counters),
    complaintsAt,
    scores,
  });
  const changed = lifecycleChanged(before, after);
  if (changed) {
    const { nextCheckAt: _next, ...stored } = after;
    if (!(await storeLifecycle(userId, stored))) {
      await reschedule(userId, undefined, sk); // deleted meanwhile
      return "skipped";
    }
  }
  await reschedule(userId, after.nextCheckAt, sk);
  return changed ? "changed" : "unchanged";
}

/** Every user due at asOf (the run's instant: the test clock moves it). */
export async function evaluateDueLifecycles(asOf: string): Promise<Record<string, number>> {
  const entries = await dueLifecycleEntries(asOf);
  const counts = { due: entries.length, changed: 0, unchanged: 0, skipped: 0, failed: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(LANES, entries.length) }, async () => {
      while (next < entries.length) {
        const { userId, sk } = entries[next++] as (typeof entries)[number];
        try {
          counts[await evaluateUser(userId, sk, asOf)]++;
        } catch (error) {
          counts.failed++;
          logger.warn("lifecycle not evaluated; the next run retries it", { userId, errorName: (error as Error).name });
        }
      }
    }),
  );
  // A failed step alarms; what failed keeps its entry, so the next run takes it again.
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.due} due user(s) failed: ${JSON.stringify(counts)}`);
  return counts;
}
