import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf, shardOf, STATUS_SHARDS, userPk } from "#lib/data/keys";

// The rewards items of a user, in the user's partition (the balance itself is the user item's
// `points`):
// - ledger entries, append-only. The sort key IS the idempotency key (`REWARD#EVENT#<eventId>`,
//   `REWARD#REDEEM#<key digest>`, `REWARD#GRANT#<grantId>`, `REWARD#ACH#<achievementId>`,
//   `REWARD#EXPIRE#<asOf>`), put with attribute_not_exists, so nothing is paid twice; GSI1 lists
//   them newest first (`REWARD_LEDGER#<userId>` / `<at>#<entryId>`).
// - the account (`REWARDS`): what earning and expiry need besides the balance (cap counters, event
//   counts for achievements, the achievements held, points credited per month), written whole
//   under a version check. It is listed in GSI1 (`REWARD_ACCOUNTS#<shard>`, for rewards:verify),
//   and while some points can expire it carries the sparse expiry marker in GSI2
//   (`REWARD_EXPIRY#<shard>` / `<nextExpiryAt>#<userId>`): the nightly job reads only due users.

export const ENTITY = { entry: "REWARD_ENTRY", account: "REWARD_ACCOUNT" } as const;

export type EntryType = "EARN" | "REDEEM" | "EXPIRE" | "ADJUST" | "REVERSAL";

export interface LedgerEntry {
  /** The idempotency key: where the entry comes from (`EVENT#<eventId>`, `REDEEM#<digest>`...). */
  entryId: string;
  userId: string;
  type: EntryType;
  /** Signed: credits positive, debits negative, 0 for an attempt that paid nothing (frozen, capped). */
  points: number;
  reason: string;
  at: string;
  /** What the rules would have paid before a cap cut it. */
  requested?: number;
  eventId?: string;
  achievementId?: string;
  grantId?: string;
  itemId?: string;
  /** Fingerprint of the request that wrote it (a retry with the same key must match). */
  requestHash?: string;
}

export const LEDGER_PREFIX = "REWARD#";
export const entryIds = {
  event: (eventId: string) => `EVENT#${eventId}`,
  achievement: (achievementId: string) => `ACH#${achievementId}`,
  grant: (grantId: string) => `GRANT#${grantId}`,
  redemption: (keyDigest: string) => `REDEEM#${keyDigest}`,
  expiry: (asOf: string) => `EXPIRE#${asOf}`,
};
export const ACHIEVEMENT_ENTRY_PREFIX = `${LEDGER_PREFIX}${entryIds.achievement("")}`;

export const ledgerEntryKey = (userId: string, entryId: string) => ({ PK: userPk(userId), SK: `${LEDGER_PREFIX}${entryId}` });
export const ledgerPartition = (userId: string) => `REWARD_LEDGER#${userId}`;

export const toEntryItem = (entry: LedgerEntry) => ({
  ...ledgerEntryKey(entry.userId, entry.entryId),
  GSI1PK: ledgerPartition(entry.userId),
  GSI1SK: `${entry.at}#${entry.entryId}`,
  entity: ENTITY.entry,
  ...entry,
});

export const fromEntryItem = (item: Record<string, unknown> | undefined): LedgerEntry | undefined =>
  item?.entity === ENTITY.entry ? (fieldsOf(item) as unknown as LedgerEntry) : undefined;

export interface RewardAccount {
  userId: string;
  /** Optimistic lock: every write of the account expects the version it read. */
  version: number;
  /** Events counted for achievements. */
  completed: number;
  reviewsGiven: number;
  /** Automatic earnings of the current UTC day and month, for the caps. */
  capDay: string;
  dayEarned: number;
  capMonth: string;
  monthEarned: number;
  achievements: string[];
  /** Points credited per UTC month (YYYY-MM) whose expiry has not passed: what expiry works from. */
  earned: Record<string, number>;
  /** When some of the balance expires next (absent: nothing can expire). */
  nextExpiryAt?: string;
  updatedAt: string;
}

export const REWARD_SHARDS = STATUS_SHARDS;
export const rewardAccountKey = (userId: string) => ({ PK: userPk(userId), SK: "REWARDS" });
export const rewardAccountsPrefix = "REWARD_ACCOUNTS";
export const expiryShardKey = (shard: number) => `REWARD_EXPIRY#${shard}`;

export const emptyAccount = (userId: string): RewardAccount => ({
  userId,
  version: 0,
  completed: 0,
  reviewsGiven: 0,
  capDay: "",
  dayEarned: 0,
  capMonth: "",
  monthEarned: 0,
  achievements: [],
  earned: {},
  updatedAt: "",
});

export const toAccountItem = (account: RewardAccount) => ({
  ...rewardAccountKey(account.userId),
  GSI1PK: `${rewardAccountsPrefix}#${shardOf(account.userId)}`,
  GSI1SK: account.userId,
  ...(account.nextExpiryAt ? { GSI2PK: expiryShardKey(shardOf(account.userId)), GSI2SK: `${account.nextExpiryAt}#${account.userId}` } : {}),
  entity: ENTITY.account,
  ...account,
});

/** The account of a user; one that never earned anything is an empty account at version 0. */
export function fromAccountItem(userId: string, item: Record<string, unknown> | undefined): RewardAccount {
  if (item?.entity !== ENTITY.account) return emptyAccount(userId);
  return { ...emptyAccount(userId), ...(fieldsOf(item) as Partial<RewardAccount>) };
}

/** A user id from an expiry marker's sort key (`<nextExpiryAt>#<userId>`). */
export const userOfExpiryMarker = (sortKey: string) => sortKey.slice(sortKey.indexOf("#") + 1);

export async function getEntry(userId: string, entryId: string): Promise<LedgerEntry | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: ledgerEntryKey(userId, entryId), ConsistentRead: true }));
  return fromEntryItem(out.Item);
}
