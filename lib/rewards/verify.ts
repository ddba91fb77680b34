import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { userPk } from "#lib/data/keys";
import { queryAll, queryAllShards } from "#lib/data/query";
import { LEDGER_PREFIX, REWARD_SHARDS, rewardAccountsPrefix } from "#lib/data/reward";
import { userKey } from "#lib/data/user";

// rewards:verify (scripts/rewards-verify.ts; the tests run the same code): every balance equals
// the sum of its ledger and is not negative. The users are those with a rewards account (every
// credit writes one), listed from 16 sparse GSI1 partitions, never a scan. A balance is read
// before and after its ledger: if they differ, a change landed in between and the user is read
// again, so a verification running beside live traffic reports only real differences.

export interface Mismatch {
  userId: string;
  balance: number;
  ledger: number;
}

export interface Verification {
  accounts: number;
  mismatches: Mismatch[];
}

const LANES = 8;
const TRIES = 5;

export async function verifyBalances(options: { userIds?: string[] } = {}): Promise<Verification> {
  const userIds = options.userIds ?? (await accountHolders());
  const mismatches: Mismatch[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(LANES, userIds.length) }, async () => {
      while (next < userIds.length) {
        const mismatch = await verifyUser(userIds[next++] as string);
        if (mismatch) mismatches.push(mismatch);
      }
    }),
  );
  return { accounts: userIds.length, mismatches: mismatches.sort((a, b) => a.userId.localeCompare(b.userId)) };
}

async function accountHolders(): Promise<string[]> {
  const items = await queryAllShards(REWARD_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :pk",
    ExpressionAttributeValues: { ":pk": `${rewardAccountsPrefix}#${shard}` },
    ProjectionExpression: "GSI1SK",
  }));
  return items.map((item) => String(item.GSI1SK));
}

/** A settled comparison of one user's balance with their ledger; undefined when they agree. */
export async function verifyUser(userId: string): Promise<Mismatch | undefined> {
  let last: Mismatch = { userId, balance: 0, ledger: 0 };
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const before = await balanceOf(userId);
    const ledger = await ledgerSum(userId);
    const after = await balanceOf(userId);
    last = { userId, balance: after, ledger };
    if (before === after) return after === ledger && after >= 0 ? undefined : last;
  }
  return last;
}

async function balanceOf(userId: string): Promise<number> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: userKey(userId), ConsistentRead: true, ProjectionExpression: "points" }));
  return Number(out.Item?.points ?? 0);
}

async function ledgerSum(userId: string): Promise<number> {
  const entries = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": LEDGER_PREFIX },
    ProjectionExpression: "points",
    ConsistentRead: true,
  });
  return entries.reduce((sum, e) => sum + Number(e.points ?? 0), 0);
}
