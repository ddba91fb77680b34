import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { AuthContext } from "#lib/auth/authenticate";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { queryAll, queryPage } from "#lib/data/query";
import { ACHIEVEMENT_ENTRY_PREFIX, fromAccountItem, fromEntryItem, ledgerPartition, rewardAccountKey } from "#lib/data/reward";
import { userPk } from "#lib/data/keys";
import { planExpiry } from "#lib/rewards/expiry";
import { isFrozen } from "#lib/rewards/freeze";
import { ACHIEVEMENTS, isAchievement } from "#lib/rewards/rules";

/**
 * GET /me/rewards: the balance (the user item the auth check read), one page of the ledger newest
 * first (GSI1), the achievements held and what expires next. Three reads in parallel.
 */
export async function rewardsView(auth: Pick<AuthContext, "user">, limit: number, cursor?: string) {
  const { user } = auth;
  const [page, achievementItems, accountOut] = await Promise.all([
    queryPage(
      `rewards:${user.userId}`,
      { IndexName: "GSI1", KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeValues: { ":pk": ledgerPartition(user.userId) }, ScanIndexForward: false },
      limit,
      cursor,
    ),
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": userPk(user.userId), ":prefix": ACHIEVEMENT_ENTRY_PREFIX },
    }),
    dynamodb.send(new GetCommand({ TableName: tableName(), Key: rewardAccountKey(user.userId) })),
  ]);
  const account = fromAccountItem(user.userId, accountOut.Item);
  const next = account.nextExpiryAt ? planExpiry(user.points, account.earned, account.nextExpiryAt) : undefined;
  return {
    balance: user.points,
    frozen: isFrozen(user),
    ledger: page.items.flatMap((item) => {
      const e = fromEntryItem(item);
      return e ? [{ entryId: e.entryId, at: e.at, type: e.type, points: e.points, reason: e.reason, ...(e.requested !== undefined ? { requested: e.requested } : {}) }] : [];
    }),
    nextCursor: page.nextCursor,
    achievements: achievementItems.flatMap((item) => {
      const e = fromEntryItem(item);
      return e?.achievementId && isAchievement(e.achievementId) ? [{ id: e.achievementId, at: e.at, points: e.points, title: ACHIEVEMENTS[e.achievementId].title }] : [];
    }),
    nextExpiry: next && next.expire > 0 && account.nextExpiryAt ? { at: account.nextExpiryAt, points: next.expire } : null,
  };
}
