import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf, shardOf } from "#lib/data/keys";

// Staff grants of points (or of an achievement): one item each (`REWARD_GRANT#<grantId>`). The id
// is derived from the staff member and their Idempotency-Key, so a retried request meets the item
// it already wrote. Listed by status over sharded GSI1 partitions (approvers find the pending ones).

export type GrantStatus = "GRANTED" | "PENDING_APPROVAL";

export interface RewardGrant {
  grantId: string;
  userId: string;
  /** Signed: a negative grant takes points back (an adjustment). */
  points: number;
  achievementId?: string;
  reason: string;
  status: GrantStatus;
  requestedBy: string;
  /** Fingerprint of the request body: the same key with another body is refused. */
  requestHash: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
}

export const ENTITY = "REWARD_GRANT";

export const grantKey = (grantId: string) => ({ PK: `REWARD_GRANT#${grantId}`, SK: "REWARD_GRANT" });

/** The GSI1 prefix of a status listing (`REWARD_GRANTS#<status>`, sharded). */
export const grantsByStatusPrefix = (status: GrantStatus) => `REWARD_GRANTS#${status}`;
export const grantStatusIndex = (grantId: string, status: GrantStatus, createdAt: string) => ({
  GSI1PK: `${grantsByStatusPrefix(status)}#${shardOf(grantId)}`,
  GSI1SK: `${createdAt}#${grantId}`,
});

export const toGrantItem = (grant: RewardGrant) => ({
  ...grantKey(grant.grantId),
  ...grantStatusIndex(grant.grantId, grant.status, grant.createdAt),
  entity: ENTITY,
  ...grant,
});

export const fromGrantItem = (item: Record<string, unknown> | undefined): RewardGrant | undefined =>
  item?.entity === ENTITY ? (fieldsOf(item) as unknown as RewardGrant) : undefined;

export async function getGrant(grantId: string): Promise<RewardGrant | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: grantKey(grantId), ConsistentRead: true }));
  return fromGrantItem(out.Item);
}
