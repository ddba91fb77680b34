import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { totalsOf } from "#lib/credit/counters";
import { entitlementsOf } from "#lib/credit/entitlements";
import { computeCredit } from "#lib/credit/model";
import { CREDIT_HISTORY_PREFIX, creditCountersKey, fromCreditHistoryItem } from "#lib/data/credit";
import { userPk } from "#lib/data/keys";
import type { UserRecord } from "#lib/data/user";

const HISTORY_SHOWN = 30;

/**
 * GET /me/credit: the stored score and tier (from the user item the auth check read), the
 * breakdown of the last computation (its history item), the history and the live event totals.
 * Two reads, in parallel.
 */
export async function creditView(user: UserRecord) {
  const [counters, history] = await Promise.all([
    dynamodb.send(new GetCommand({ TableName: tableName(), Key: creditCountersKey(user.userId) })),
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
  const items = (history.Items ?? []).map(fromCreditHistoryItem);
  // Never computed yet: the breakdown of a newcomer, which is what registration stored (600 FAIR).
  const latest = items[0] ?? computeCredit({ identityVerified: false, buckets: [], asOf: user.createdAt });
  return {
    score: user.creditScore,
    tier: user.creditTier,
    factors: latest.factors,
    reasons: latest.reasonCodes.map((r) => r.text),
    reasonCodes: latest.reasonCodes,
    ...entitlementsOf(user.creditTier),
    history: items.map((i) => ({ at: i.at, score: i.score, tier: i.tier })),
    counters: totalsOf(counters.Item),
    computedAt: user.creditComputedAt ?? null,
  };
}
