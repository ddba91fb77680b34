import { randomUUID } from "node:crypto";
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { bucketAttribute } from "#lib/credit/counters";
import { creditCountersKey, creditDirtyIndex, ENTITY } from "#lib/data/credit";
import { table } from "#test/steps/table";

// Credit at volume, for the nightly job's tests: users written straight into the table with
// counters and a change marker, as behaviour events would have left them.

/** `count` active users whose inputs changed since their last score; returns their ids. */
export async function seedChangedUsers(count: number): Promise<string[]> {
  const { client, name } = table();
  const now = new Date().toISOString();
  const prefix = `seed-${randomUUID().slice(0, 8)}`;
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const items = ids.flatMap((userId, i) => [
    {
      // The user item as lib/data/user.ts writes it (that module opens a client on import, which a test worker cannot).
      PK: `USER#${userId}`,
      SK: "PROFILE",
      GSI1PK: `USERS#ACTIVE#${i % 16}`,
      GSI1SK: `${now}#${userId}`,
      entity: "USER",
      ...{ userId, username: userId, status: "ACTIVE", level: "NEWBIE", identityStatus: "NONE", creditScore: 600, creditTier: "FAIR", points: 0 },
      consent: { privacyPolicyVersion: "2026-11", at: now },
      createdAt: now,
      updatedAt: now,
      ...creditDirtyIndex(userId),
      creditDirtyBy: `seed-event-${i}`,
    },
    { ...creditCountersKey(userId), entity: ENTITY.counters, [bucketAttribute("COMPLETED", now.slice(0, 7))]: 1 + (i % 5) },
  ]);
  for (let i = 0; i < items.length; i += 25) {
    let pending: unknown[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [name]: pending as never } }));
      pending = out.UnprocessedItems?.[name] ?? [];
    }
  }
  return ids;
}

/** A user's score history items and whether the change marker is still set. */
export async function creditStateOf(userId: string): Promise<{ history: string[]; marked: boolean }> {
  const { client, name } = table();
  const out = await client.send(
    new QueryCommand({ TableName: name, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `USER#${userId}` }, ConsistentRead: true }),
  );
  const items = out.Items ?? [];
  return {
    history: items.filter((i) => String(i.SK).startsWith("CREDIT_HISTORY#")).map((i) => String(i.SK)),
    marked: items.some((i) => i.SK === "PROFILE" && i.creditDirtyBy !== undefined),
  };
}
