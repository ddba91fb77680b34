import { tableName } from "#lib/clients/dynamodb";
import { batchGet } from "#lib/data/batch";
import { queryAllShards } from "#lib/data/query";
import { entryIds, expiryShardKey, fromAccountItem, REWARD_SHARDS, rewardAccountKey, userOfExpiryMarker } from "#lib/data/reward";
import { TransactionCancelled, type TransactItem, transactWrite } from "#lib/data/transactions";
import { fromUserItem, userKey } from "#lib/data/user";
import { logger } from "#lib/logger";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import { planExpiry } from "#lib/rewards/expiry";
import { accountPut, balanceChange, entryPut, jitter, MAX_ATTEMPTS } from "#lib/rewards/ledger-writes";

// The nightly expiry (step `rewards-expiry`, lib/jobs/steps.ts). It never scans: every account
// with points that can expire carries a sparse GSI2 marker `REWARD_EXPIRY#<shard>` /
// `<nextExpiryAt>#<userId>`, so 16 Queries with `GSI2SK <= asOf` return exactly the users due.
// Each due user is one transaction: the EXPIRE entry (keyed by the run's asOf, so a resumed run
// expires nothing twice), the debit (conditional on the balance it computed from), the account
// with its pruned monthly sums and next marker, and the mail.

const LANES = 8;

export interface ExpiryCounts {
  [name: string]: number;
  due: number;
  expiredUsers: number;
  pointsExpired: number;
  failed: number;
}

/** Expires what is due at `asOf` (the run's instant: the test clock moves it). */
export async function expirePoints(asOf: string): Promise<ExpiryCounts> {
  const markers = await queryAllShards(REWARD_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI2",
    KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :due",
    ExpressionAttributeValues: { ":pk": expiryShardKey(shard), ":due": `${asOf}#~` },
    ProjectionExpression: "GSI2SK",
  }));
  const userIds = [...new Set(markers.map((m) => userOfExpiryMarker(String(m.GSI2SK))))];
  const counts: ExpiryCounts = { due: userIds.length, expiredUsers: 0, pointsExpired: 0, failed: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(LANES, userIds.length) }, async () => {
      while (next < userIds.length) {
        const userId = userIds[next++] as string;
        try {
          const expired = await expireUser(userId, asOf);
          if (expired > 0) {
            counts.expiredUsers++;
            counts.pointsExpired += expired;
          }
        } catch (error) {
          counts.failed++;
          logger.error("points not expired", { userId, errorName: (error as Error).name });
        }
      }
    }),
  );
  // A failed step fails the run (and alarms); the users left are due again the next night.
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.due} due user(s) failed; ${counts.expiredUsers} expired ${counts.pointsExpired} points`);
  return counts;
}

/** Expires one user's due points; returns how many. A lost race (a redemption meanwhile) is computed again. */
export async function expireUser(userId: string, asOf: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const [userItem, accountItem] = await batchGet([userKey(userId), rewardAccountKey(userId)], { consistent: true });
    const user = fromUserItem(userItem);
    const account = fromAccountItem(userId, accountItem);
    const balance = user?.points ?? 0;
    const plan = planExpiry(balance, account.earned, asOf);
    const { nextExpiryAt: _due, ...rest } = account;
    const items: TransactItem[] = [accountPut({ ...rest, version: account.version + 1, earned: plan.sums, ...(plan.nextExpiryAt ? { nextExpiryAt: plan.nextExpiryAt } : {}), updatedAt: new Date().toISOString() }, account.version)];
    if (user && plan.expire > 0) {
      items.push(
        entryPut({ entryId: entryIds.expiry(asOf), userId, type: "EXPIRE", points: -plan.expire, reason: "EXPIRED: earned over 12 months ago", at: asOf }),
        balanceChange(userId, -plan.expire, { exactly: balance }),
      );
      if (user.status === "ACTIVE" && (user.emailEnc || user.phoneEnc)) {
        items.push(await queueMessage(user, preferredChannel(user), "REWARD_POINTS_EXPIRED", { points: String(plan.expire), balance: String(balance - plan.expire) }));
      }
    }
    try {
      await transactWrite({ TransactItems: items });
      return user ? plan.expire : 0;
    } catch (error) {
      if (!(error instanceof TransactionCancelled) || attempt >= MAX_ATTEMPTS) throw error;
      await jitter(attempt);
    }
  }
}
