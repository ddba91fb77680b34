import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { fromAccountItem, rewardAccountKey } from "#lib/data/reward";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, userKey } from "#lib/data/user";
import type { BehaviorEvent } from "#lib/events/schema";
import { planEarning } from "#lib/rewards/earning";
import { accountPut, balanceChange, entryPut, jitter, MAX_ATTEMPTS } from "#lib/rewards/ledger-writes";
import { earns } from "#lib/rewards/rules";

// Automatic earning, called by the behaviour-events consumer after the event was recorded (and
// also when recordEvent says DUPLICATE: a delivery whose earning failed after the event was
// recorded is paid by its redelivery). The event id is the ledger entry's key, so whatever the
// number of deliveries, an event pays once.

export type EarnOutcome = "PAID" | "DUPLICATE" | "NOTHING";

/** Pays what the event earns (capped, multiplied, nothing while frozen) and any achievement it completes. */
export async function earnFromEvent(event: BehaviorEvent): Promise<EarnOutcome> {
  if (!earns(event.type)) return "NOTHING";
  return settle(event.userId, event);
}

/**
 * Grants the achievements the user's state has reached (a verified contact, an approved document):
 * for the flows that change that state, after their own transaction. Idempotent.
 */
export async function awardDueAchievements(userId: string): Promise<EarnOutcome> {
  return settle(userId);
}

/**
 * Reads the user and the account, plans, and writes the plan in one transaction under the
 * account's version. A lost race (another earning, grant or expiry of this user in between) is
 * planned again from a fresh read.
 */
async function settle(userId: string, event?: BehaviorEvent): Promise<EarnOutcome> {
  for (let attempt = 1; ; attempt++) {
    const [userItem, accountItem] = await batchGet([userKey(userId), rewardAccountKey(userId)], { consistent: true });
    const user = fromUserItem(userItem);
    if (!user || user.status === "DELETED") return "NOTHING";
    const account = fromAccountItem(userId, accountItem);
    const plan = planEarning({ user, account, event, at: new Date().toISOString(), caps: config().rewards.caps });
    if (!plan) return "NOTHING";
    try {
      await transactWrite({
        TransactItems: [
          ...plan.entries.map(entryPut),
          accountPut(plan.account, account.version),
          ...(plan.credit > 0 ? [balanceChange(userId, plan.credit, { unfrozen: true })] : []),
        ],
      });
      return "PAID";
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      if (event && error.failedAt() === 0) return "DUPLICATE"; // the event's entry exists: it paid already
      if (attempt >= MAX_ATTEMPTS) throw new Error(`rewards of user ${userId} not settled after ${attempt} attempts (concurrent changes)`);
      await jitter(attempt);
    }
  }
}
