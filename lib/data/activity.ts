import { type Page, queryPage } from "#lib/data/query";
import { ttlAfter, userPk } from "#lib/data/keys";

// Sign-in history: one item per login in the user's partition, newest first by its sort key.

export const ENTITY = "ACTIVITY";
const PREFIX = "ACTIVITY#";
export const ACTIVITY_TTL_SECONDS = 180 * 24 * 3600;

export interface ActivityRecord {
  at: string;
  type: "LOGIN";
  ip: string;
  userAgent: string;
  newDevice: boolean;
}

export const activityKey = (userId: string, at: string, id: string) => ({ PK: userPk(userId), SK: `${PREFIX}${at}#${id}` });

export const toActivityItem = (userId: string, id: string, activity: ActivityRecord) => ({
  ...activityKey(userId, activity.at, id),
  entity: ENTITY,
  ...activity,
  ttl: ttlAfter(ACTIVITY_TTL_SECONDS, Date.parse(activity.at)),
});

const fromActivityItem = (item: Record<string, unknown>): ActivityRecord => ({
  at: String(item.at),
  type: "LOGIN",
  ip: String(item.ip),
  userAgent: String(item.userAgent),
  newDevice: Boolean(item.newDevice),
});

/** The user's sign-ins, newest first, one Query per page. */
export async function listActivity(userId: string, limit: number, cursor?: string): Promise<Page<ActivityRecord>> {
  const page = await queryPage(
    `activity:${userId}`,
    {
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": PREFIX },
      ScanIndexForward: false,
    },
    limit,
    cursor,
  );
  return { items: page.items.map(fromActivityItem), nextCursor: page.nextCursor };
}
