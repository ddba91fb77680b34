import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { entryIds, fromAccountItem, type LedgerEntry, type RewardAccount, rewardAccountKey } from "#lib/data/reward";
import { getGrant, type RewardGrant, toGrantItem } from "#lib/data/reward-grant";
import { TransactionCancelled, type TransactItem, transactWrite } from "#lib/data/transactions";
import { fromUserItem, type UserRecord, userKey } from "#lib/data/user";
import { badRequest, conflict, forbidden, notFound, serviceUnavailable } from "#lib/errors";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import { credited } from "#lib/rewards/earning";
import { isFrozen } from "#lib/rewards/freeze";
import { fingerprint, keyReused, requireIdempotencyKey, uuidFrom } from "#lib/rewards/idempotency";
import { accountPut, balanceChange, balanceRefusal, entryPut, jitter, MAX_ATTEMPTS } from "#lib/rewards/ledger-writes";
import { ACHIEVEMENTS, type AchievementId } from "#lib/rewards/rules";

// POST /admin/rewards/grants: staff add (or, with negative points, take back) points, or grant an
// achievement. The grant's id derives from the staff member and the Idempotency-Key, and its item
// is put only if absent in the same transaction as the payout: ten parallel retries make one
// grant and one ledger entry, and all ten get its answer. Above the approval threshold the grant
// waits (PENDING_APPROVAL) for a second staff member (lib/rewards/approve-grant.ts).

export type Staff = Pick<AuthContext, "userId">;

export interface GrantRequest {
  userId: string;
  points?: number;
  achievementId?: AchievementId;
  reason: string;
}

export const grantView = ({ requestHash: _hash, ...grant }: RewardGrant) => grant;
export type GrantResult = { grant: ReturnType<typeof grantView>; replayed: boolean };

export async function grantRewards(staff: Staff, request: GrantRequest, idempotencyKey: string | undefined, requestId: string): Promise<GrantResult> {
  const key = requireIdempotencyKey(idempotencyKey);
  const grantId = uuidFrom(`grant:${staff.userId}`, key);
  const requestHash = fingerprint({ userId: request.userId, points: request.points, achievementId: request.achievementId, reason: request.reason });
  const replay = (earlier: RewardGrant | undefined): GrantResult => {
    if (!earlier) throw serviceUnavailable("The grant could not be read back; retry with the same Idempotency-Key.");
    if (earlier.requestHash !== requestHash) throw keyReused();
    return { grant: grantView(earlier), replayed: true };
  };
  const earlier = await getGrant(grantId);
  if (earlier) return replay(earlier); // a retry answers as the first request did, whatever changed since

  if (request.userId === staff.userId) throw forbidden("SELF_GRANT", "Staff cannot grant points to themselves; ask another staff member.");
  const points = request.achievementId ? ACHIEVEMENTS[request.achievementId].points : (request.points ?? 0);
  if (points === 0) throw badRequest("NOTHING_TO_GRANT", "Give either non-zero points or an achievementId.");
  const pending = Math.abs(points) > config().rewards.approvalThreshold;
  const grant: RewardGrant = {
    grantId,
    userId: request.userId,
    points,
    ...(request.achievementId ? { achievementId: request.achievementId } : {}),
    reason: request.reason,
    status: pending ? "PENDING_APPROVAL" : "GRANTED",
    requestedBy: staff.userId,
    requestHash,
    createdAt: new Date().toISOString(),
  };

  for (let attempt = 1; ; attempt++) {
    const { user, account } = await readTarget(grant);
    const TransactItems: TransactItem[] = [
      { Put: { TableName: tableName(), Item: toGrantItem(grant), ConditionExpression: "attribute_not_exists(PK)" } },
      ...(pending
        ? [auditPut({ actorId: staff.userId, action: "REWARD_GRANT_REQUESTED", targetUserId: grant.userId, requestId, reason: grant.reason, subject: grantId, details: detailsOf(grant) })]
        : await payoutWrites(grant, user, account, { actorId: staff.userId, action: "REWARD_GRANTED", requestId })),
    ];
    try {
      await transactWrite({ TransactItems });
      return { grant: grantView(grant), replayed: false };
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      if (error.failedAt() === 0) return replay(await getGrant(grantId)); // a parallel retry made it
      if (!pending) await throwIfRefused(error, grant);
      if (attempt >= MAX_ATTEMPTS) throw serviceUnavailable("Too many changes to this user's rewards at once; retry with the same Idempotency-Key.");
      await jitter(attempt);
    }
  }
}

/** The target and their rewards account (consistent), after the checks every payout needs. */
export async function readTarget(grant: RewardGrant): Promise<{ user: UserRecord; account: RewardAccount }> {
  const [userItem, accountItem] = await batchGet([userKey(grant.userId), rewardAccountKey(grant.userId)], { consistent: true });
  const user = fromUserItem(userItem);
  if (!user || user.status === "DELETED") throw notFound("No such user.");
  const account = fromAccountItem(grant.userId, accountItem);
  if (grant.achievementId && account.achievements.includes(grant.achievementId)) throw achievementHeld();
  // Taking points back stays possible while frozen (a fraud case freezes first); adding does not.
  if (grant.points > 0 && isFrozen(user)) throw conflict("REWARDS_FROZEN", "The user's rewards are frozen (REWARDS_FROZEN): no points can be added now.");
  return { user, account };
}

/**
 * The writes that pay a grant out, after the grant's own item (index 0): the entry (1), the
 * balance (2), the account for a credit (3: expiry must know of it), the audit entry and the mail.
 */
export async function payoutWrites(grant: RewardGrant, user: UserRecord, account: RewardAccount, audit: { actorId: string; action: string; requestId: string }): Promise<TransactItem[]> {
  const at = new Date().toISOString();
  const { achievementId } = grant;
  const entry: LedgerEntry = {
    entryId: achievementId ? entryIds.achievement(achievementId) : entryIds.grant(grant.grantId),
    userId: grant.userId,
    type: achievementId ? "EARN" : "ADJUST",
    points: grant.points,
    reason: achievementId ? `ACHIEVEMENT ${achievementId}: ${grant.reason}` : grant.reason,
    at,
    grantId: grant.grantId,
    ...(achievementId ? { achievementId } : {}),
  };
  const credit = grant.points > 0;
  const next = credit
    ? credited({ ...account, version: account.version + 1, updatedAt: at, achievements: achievementId ? [...account.achievements, achievementId] : account.achievements }, user.points, grant.points, at)
    : undefined;
  return [
    entryPut(entry),
    balanceChange(grant.userId, grant.points, { unfrozen: credit }),
    ...(next ? [accountPut(next, account.version)] : []),
    auditPut({ ...audit, targetUserId: grant.userId, reason: grant.reason, subject: grant.grantId, details: detailsOf(grant) }),
    await queueMessage(user, preferredChannel(user), "REWARD_POINTS_GRANTED", { points: String(Math.abs(grant.points)), change: credit ? "ADDED" : "DEDUCTED", reason: grant.reason }),
  ];
}

/** Maps a payout refused by the entry (1: achievement held) or the balance (2: frozen, too few points); returns on a lost race. */
export async function throwIfRefused(error: TransactionCancelled, grant: RewardGrant): Promise<void> {
  if (error.failedAt() === 1) throw achievementHeld();
  if (error.failedAt() === 2) throw await balanceRefusal(error, 2, grant.userId, -grant.points, 409);
}

const achievementHeld = () => conflict("ACHIEVEMENT_HELD", "The user holds this achievement already.");

const detailsOf = (grant: RewardGrant) => ({ points: grant.points, requestedBy: grant.requestedBy, ...(grant.achievementId ? { achievementId: grant.achievementId } : {}) });
