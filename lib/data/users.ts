import { BatchGetCommand, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { keys } from "#lib/data/keys";

export type UserStatus = "PENDING_VERIFICATION" | "ACTIVE" | "SUSPENDED" | "DELETED";
export type Level = "NEWBIE" | "ACTIVE" | "ADVANCED" | "ADMIN";
export type IdentityStatus = "NONE" | "PENDING_REVIEW" | "APPROVED" | "REJECTED";

/** The user's profile item (PK USER#id, SK PROFILE). PII is stored only encrypted, with keyed hashes for lookup. */
export interface UserRecord {
  userId: string;
  username: string;
  displayName?: string;
  emailEnc?: string;
  emailHash?: string;
  emailVerified?: boolean;
  phoneEnc?: string;
  phoneHash?: string;
  phoneVerified?: boolean;
  status: UserStatus;
  level: Level;
  identityStatus: IdentityStatus;
  creditScore: number;
  creditTier: string;
  points: number;
  permissionGrants?: string[];
  permissionRevokes?: string[];
  profile?: { gender?: string; birthDate?: string; bio?: string; avatarUrl?: string };
  consent: { privacyPolicyVersion: string; at: string };
  /** Tokens issued before this instant (ms) are refused, except those of keptSessionId. */
  tokensValidAfter?: number;
  keptSessionId?: string;
  lastLoginAt?: string;
  createdAt: string;
  updatedAt: string;
}

export function userItem(user: UserRecord) {
  return {
    ...keys.user(user.userId),
    ...keys.userStatusIndex(user.userId, user.status, user.createdAt),
    type: "USER",
    ...user,
  };
}

export function fromUserItem(item: Record<string, unknown> | undefined): UserRecord | undefined {
  if (item?.type !== "USER") return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, type: _t, ...rest } = item;
  return rest as unknown as UserRecord;
}

export async function getUser(userId: string, consistent = false): Promise<UserRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: keys.user(userId), ConsistentRead: consistent }));
  return fromUserItem(out.Item);
}

/** Reads several items of possibly different entities in one round trip. */
export async function batchGet(keyList: Record<string, string>[], consistent = false): Promise<(Record<string, unknown> | undefined)[]> {
  let pending = keyList;
  const found: Record<string, unknown>[] = [];
  for (let round = 0; pending.length > 0 && round < 5; round++) {
    const out = await dynamodb.send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: consistent } } }));
    found.push(...(out.Responses?.[tableName()] ?? []));
    pending = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, string>[] | undefined) ?? [];
  }
  return keyList.map((k) => found.find((item) => item.PK === k.PK && item.SK === k.SK));
}

/** Sets fields on an existing user; keeps the status index in step when the status changes. */
export async function updateUser(
  userId: string,
  changes: Partial<Omit<UserRecord, "userId" | "createdAt">>,
  options: { remove?: string[]; condition?: string; conditionValues?: Record<string, unknown>; createdAt?: string } = {},
): Promise<UserRecord> {
  const sets: string[] = ["#updatedAt = :updatedAt"];
  const names: Record<string, string> = { "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":updatedAt": new Date().toISOString(), ...options.conditionValues };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined || field === "updatedAt") continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (changes.status && options.createdAt) {
    const index = keys.userStatusIndex(userId, changes.status, options.createdAt);
    names["#GSI1PK"] = "GSI1PK";
    values[":GSI1PK"] = index.GSI1PK;
    sets.push("#GSI1PK = :GSI1PK");
  }
  const removes = (options.remove ?? []).map((field) => {
    names[`#${field}`] = field;
    return `#${field}`;
  });
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: ["attribute_exists(PK)", options.condition].filter(Boolean).join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: "ALL_NEW",
    }),
  );
  return fromUserItem(out.Attributes) as UserRecord;
}
