import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf, shardOf, userPk } from "#lib/data/keys";

// The user entity: PK USER#<id>, SK PROFILE. PII only encrypted, with keyed hashes for lookup.
// GSI1 lists users by status over STATUS_SHARDS partitions.

/** DELETING: an account deletion was requested (lib/privacy/); no token or login works any more. */
export type UserStatus = "PENDING_VERIFICATION" | "ACTIVE" | "SUSPENDED" | "DELETING" | "DELETED";
export type Level = "NEWBIE" | "ACTIVE" | "ADVANCED" | "ADMIN";
export type IdentityStatus = "NONE" | "PENDING_REVIEW" | "APPROVED" | "REJECTED";

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
  creditComputedAt?: string;
  points: number;
  permissionGrants?: string[];
  permissionRevokes?: string[];
  /** Staff groups: the source of truth for the auth layer (Cognito's groups mirror them). */
  groups?: string[];
  /** The groups last copied to Cognito (tokens issued later carry them); behind `groups` until mirrored. */
  cognitoGroups?: string[];
  /** A level set by staff: the nightly job leaves it alone until `until` (ISO; none = for good). */
  levelPin?: LevelPin;
  levelChangedAt?: string;
  mfa?: MfaState;
  /** An enrolment started but not confirmed with a first code (not active). */
  mfaPending?: { secretEnc: string; startedAt: string };
  /** Why rewards are frozen besides POOR credit: the ids of the incidents that froze them (string set). */
  rewardFreezes?: Set<string> | string[];
  /**
   * The incidents holding the account SUSPENDED (string set): the last one resolved reactivates it.
   * A suspension without it is staff's, and no incident lifts it.
   */
  incidentSuspensions?: Set<string> | string[];
  /** Sign-in is refused (403 PASSWORD_RESET_REQUIRED) until a password reset, which removes it; set by an incident. */
  passwordResetRequired?: { by: string; at: string };
  profile?: { gender?: string; birthDate?: string; bio?: string; avatarUrl?: string };
  /** The latest consent (every one is kept as a CONSENT item). */
  consent: { privacyPolicyVersion: string; at: string; channel?: "APP" | "WEB" | "API" };
  /** Tokens issued before this instant (ms) are refused, except those of keptSessionId. */
  tokensValidAfter?: number;
  keptSessionId?: string;
  lastLoginAt?: string;
  /** Lifecycle stage and churn risk, written by the nightly step `lifecycle` (lib/lifecycle/). */
  lifecycle?: { stage: string; churnRisk: boolean; reasons: string[]; lastActiveAt: string; evaluatedAt: string };
  createdAt: string;
  updatedAt: string;
}

/** Active two-factor sign-in. The secret is encrypted (bound to `<userId>:mfa`); recovery codes exist only as keyed hashes. */
export interface MfaState {
  secretEnc: string;
  enabledAt: string;
  /** The last TOTP time step accepted: a step is never accepted twice. */
  lastStep: number;
  recoveryHashes?: Set<string>;
}

export interface LevelPin {
  by: string;
  at: string;
  until?: string;
}

/** Is the level pinned at `now`? */
export const isPinned = (pin: LevelPin | undefined, now = Date.now()) => pin !== undefined && (pin.until === undefined || Date.parse(pin.until) > now);

export const ENTITY = "USER";

export const userKey = (userId: string) => ({ PK: userPk(userId), SK: "PROFILE" });

export const userStatusIndex = (userId: string, status: string, createdAt: string) => ({
  GSI1PK: `USERS#${status}#${shardOf(userId)}`,
  GSI1SK: `${createdAt}#${userId}`,
});

/** The GSI1 prefix of a status listing (`USERS#<status>`, sharded). */
export const usersByStatusPrefix = (status: UserStatus) => `USERS#${status}`;

export const userLevelIndex = (userId: string, level: Level, createdAt: string) => ({
  GSI3PK: `${usersByLevelPrefix(level)}#${shardOf(userId)}`,
  GSI3SK: `${createdAt}#${userId}`,
});

/** The GSI3 prefix of a level listing (`LEVEL#<level>`, sharded). */
export const usersByLevelPrefix = (level: Level) => `LEVEL#${level}`;

export function toUserItem(user: UserRecord) {
  return {
    ...userKey(user.userId),
    ...userStatusIndex(user.userId, user.status, user.createdAt),
    ...userLevelIndex(user.userId, user.level, user.createdAt),
    entity: ENTITY,
    ...user,
  };
}

export function fromUserItem(item: Record<string, unknown> | undefined): UserRecord | undefined {
  if (item?.entity !== ENTITY) return undefined;
  const { creditDirtyBy: _marker, ...rest } = fieldsOf(item);
  return rest as unknown as UserRecord;
}

export async function getUser(userId: string, consistent = false): Promise<UserRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: userKey(userId), ConsistentRead: consistent }));
  return fromUserItem(out.Item);
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
    names["#GSI1PK"] = "GSI1PK";
    values[":GSI1PK"] = userStatusIndex(userId, changes.status, options.createdAt).GSI1PK;
    sets.push("#GSI1PK = :GSI1PK");
  }
  const removes = (options.remove ?? []).map((field) => {
    names[`#${field}`] = field;
    return `#${field}`;
  });
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: userKey(userId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: ["attribute_exists(PK)", options.condition].filter(Boolean).join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: "ALL_NEW",
    }),
  );
  return fromUserItem(out.Attributes) as UserRecord;
}
