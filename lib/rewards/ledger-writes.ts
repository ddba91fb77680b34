import { tableName } from "#lib/clients/dynamodb";
import { type LedgerEntry, type RewardAccount, toAccountItem, toEntryItem } from "#lib/data/reward";
import { TransactionCancelled, type TransactItem } from "#lib/data/transactions";
import { fromUserItem, getUser, type UserRecord, userKey } from "#lib/data/user";
import { AppError, conflict, notFound } from "#lib/errors";
import { FROZEN_GUARD, isFrozen, rewardsFrozen } from "#lib/rewards/freeze";

// The transaction items every change of the balance is made of: the ledger entry (once: its key
// is the idempotency key), the balance on the user item (never below zero; credits and
// redemptions only while rewards are not frozen) and, where expiry needs to know, the account
// (under its version). Entry and balance are always in one transaction, so the balance is the
// sum of the ledger at every instant (rewards:verify proves it).

/** Appends the entry; refused if an entry with its key exists (a retry, a redelivered event). */
export const entryPut = (entry: LedgerEntry): TransactItem => ({
  Put: { TableName: tableName(), Item: toEntryItem(entry), ConditionExpression: "attribute_not_exists(PK)" },
});

export interface BalanceGuard {
  /** Refused while rewards are frozen (credits from events and grants, redemptions). */
  unfrozen?: boolean;
  /** Refused unless the balance is exactly this (expiry computes from the balance it read). */
  exactly?: number;
}

/** Adds `delta` to the user's `points`; a debit is refused if it would take the balance below zero. */
export function balanceChange(userId: string, delta: number, guard: BalanceGuard = {}): TransactItem {
  const conditions = ["attribute_exists(PK)"];
  const values: Record<string, unknown> = { ":delta": delta };
  if (delta < 0) {
    conditions.push("points >= :debit");
    values[":debit"] = -delta;
  }
  if (guard.unfrozen) {
    conditions.push(FROZEN_GUARD.expression);
    Object.assign(values, FROZEN_GUARD.values);
  }
  if (guard.exactly !== undefined) {
    conditions.push("points = :seen");
    values[":seen"] = guard.exactly;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: userKey(userId),
      UpdateExpression: "ADD points :delta",
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeValues: values,
      // The user as it was, so a refusal can say why (frozen, not enough points, gone).
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}

/** Writes the account whole, only if nobody wrote it since it was read at `seenVersion`. */
export const accountPut = (account: RewardAccount, seenVersion: number): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: toAccountItem(account),
    ...(seenVersion === 0
      ? { ConditionExpression: "attribute_not_exists(PK)" }
      : { ConditionExpression: "version = :seen", ExpressionAttributeValues: { ":seen": seenVersion } }),
  },
});

/** Why a balance change was refused: the user is gone (404), frozen (403 to the user, 409 to staff) or has too few points (409). */
export async function balanceRefusal(error: TransactionCancelled, index: number, userId: string, requested: number, frozenStatus: 403 | 409 = 403): Promise<Error> {
  const user: UserRecord | undefined = fromUserItem(error.items[index]) ?? (await getUser(userId, true));
  if (!user) return notFound("No such user.");
  if (isFrozen(user)) return frozenStatus === 403 ? rewardsFrozen() : conflict("REWARDS_FROZEN", "The user's rewards are frozen (REWARDS_FROZEN): no points can be added now.");
  return new AppError(409, "INSUFFICIENT_POINTS", "Conflict", `The balance is ${user.points} points; ${requested} are needed.`, { balance: user.points, requested });
}

/** A transaction lost only to concurrent ones (no condition failed): worth running again. */
export const lostRace = (error: unknown) => error instanceof TransactionCancelled && error.failedAt() === -1;

export const MAX_ATTEMPTS = 6;
/** A short random pause before a retry, so racing writers spread out. */
export const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
