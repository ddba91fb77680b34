import { entryIds, type LedgerEntry, type RewardAccount } from "#lib/data/reward";
import type { UserRecord } from "#lib/data/user";
import type { BehaviorEvent } from "#lib/events/schema";
import { nextExpiryOf, withCredit } from "#lib/rewards/expiry";
import { isFrozen, RESTRICTION } from "#lib/rewards/freeze";
import { ACHIEVEMENTS, applyCaps, type Caps, dueAchievements, earns, pointsFor } from "#lib/rewards/rules";

// What an event (or a look at the user's state) pays, pure: the ledger entries, the account as it
// will be and the credit to the balance. lib/rewards/earn.ts reads the inputs and writes the plan
// in one transaction.

export type EarningUser = Pick<UserRecord, "userId" | "creditTier" | "rewardFreezes" | "emailVerified" | "phoneVerified" | "identityStatus" | "points">;

export interface EarningInputs {
  user: EarningUser;
  account: RewardAccount;
  /** Absent: achievements only (after a verification or a document approval). */
  event?: BehaviorEvent;
  at: string;
  caps: Caps;
}

export interface EarningPlan {
  /** The event's entry first (its key is the event id: the idempotency guard), then achievements. */
  entries: LedgerEntry[];
  account: RewardAccount;
  /** Points added to the balance. */
  credit: number;
}

/** Undefined when there is nothing to write (an event type that pays nothing, no achievement due). */
export function planEarning({ user, account, event, at, caps }: EarningInputs): EarningPlan | undefined {
  const frozen = isFrozen(user);
  const next: RewardAccount = { ...account, version: account.version + 1, updatedAt: at, achievements: [...account.achievements] };
  const entries: LedgerEntry[] = [];

  if (event && earns(event.type)) {
    if (event.type === "TRANSACTION_COMPLETED") next.completed += 1;
    if (event.type === "REVIEW_GIVEN") next.reviewsGiven += 1;
    const base = { entryId: entryIds.event(event.eventId), userId: user.userId, type: "EARN" as const, at, eventId: event.eventId };
    if (frozen) {
      // Recorded, so the event can never pay later (not even when redelivered after the freeze).
      entries.push({ ...base, points: 0, reason: `${event.type}; ${RESTRICTION}` });
    } else {
      const requested = pointsFor(event.type, user.creditTier);
      const capped = applyCaps(requested, next, at, caps);
      Object.assign(next, capped.counters);
      entries.push({ ...base, points: capped.points, reason: capped.cappedBy ? `${event.type}; ${capped.cappedBy}` : event.type, ...(capped.cappedBy ? { requested } : {}) });
    }
  }

  if (!frozen) {
    const due = dueAchievements({ ...user, completed: next.completed, reviewsGiven: next.reviewsGiven, held: next.achievements });
    for (const achievementId of due) {
      entries.push({ entryId: entryIds.achievement(achievementId), userId: user.userId, type: "EARN", points: ACHIEVEMENTS[achievementId].points, reason: `ACHIEVEMENT ${achievementId}`, at, achievementId });
      next.achievements.push(achievementId);
    }
  }
  if (entries.length === 0) return undefined;

  const credit = entries.reduce((sum, e) => sum + e.points, 0);
  return { entries, account: credit > 0 ? credited(next, user.points, credit, at) : next, credit };
}

/**
 * The account after `credit` points were added to a balance read as `balance`. A balance read
 * before a concurrent redemption is too high, which can only make the expiry marker earlier
 * (a night with nothing to do), never later.
 */
export function credited(account: RewardAccount, balance: number, credit: number, at: string): RewardAccount {
  const earned = withCredit(account.earned, credit, at);
  const nextExpiryAt = nextExpiryOf(balance + credit, earned);
  const { nextExpiryAt: _old, ...rest } = account;
  return { ...rest, earned, ...(nextExpiryAt ? { nextExpiryAt } : {}) };
}
