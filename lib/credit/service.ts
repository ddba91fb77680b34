import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { totalsOf } from "#lib/credit/counters";
import { entitlementsOf } from "#lib/credit/entitlements";
import { computeCredit, type CreditResult, type ReasonCode } from "#lib/credit/model";
import { CREDIT_HISTORY_PREFIX, creditKeys, userPk } from "#lib/data/keys";
import { getUser, type UserRecord } from "#lib/data/users";
import { notFound } from "#lib/errors";
import { recomputeBatch } from "#lib/jobs/recompute-worker";

const HISTORY_SHOWN = 30;

/**
 * GET /me/credit: the stored score and tier (from the user item the auth check read), the
 * breakdown of the last computation (its history item), the history and the live event totals.
 * Two reads, in parallel.
 */
export async function creditView(user: UserRecord) {
  const [counters, history] = await Promise.all([
    dynamodb.send(new GetCommand({ TableName: tableName(), Key: creditKeys.counters(user.userId) })),
    dynamodb.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": userPk(user.userId), ":prefix": CREDIT_HISTORY_PREFIX },
        ScanIndexForward: false,
        Limit: HISTORY_SHOWN,
      }),
    ),
  ]);
  const items = history.Items ?? [];
  // Never computed yet: the breakdown of a newcomer, which is what registration stored (600 FAIR).
  const latest = (items[0] as { factors: CreditResult["factors"]; reasonCodes: ReasonCode[] } | undefined) ??
    computeCredit({ identityVerified: false, buckets: [], asOf: user.createdAt });
  return {
    score: user.creditScore,
    tier: user.creditTier,
    factors: latest.factors,
    reasons: latest.reasonCodes.map((r) => r.text),
    reasonCodes: latest.reasonCodes,
    ...entitlementsOf(user.creditTier),
    history: items.map((i) => ({ at: i.at as string, score: i.score as number, tier: i.tier as string })),
    counters: totalsOf(counters.Item),
    computedAt: (user as UserRecord & { creditComputedAt?: string }).creditComputedAt ?? null,
  };
}

/** POST /admin/users/{userId}/credit/recompute: recompute now (clearing the user's marker) and answer the view. */
export async function recomputeNow(userId: string) {
  const outcome = await recomputeBatch({ asOf: new Date().toISOString(), users: [{ userId }] }, { force: true });
  if (outcome.failedUserIds.length > 0) throw new Error("credit recompute failed");
  const user = await getUser(userId, true);
  if (!user || user.status === "DELETED") throw notFound("No such user.");
  return creditView(user);
}
