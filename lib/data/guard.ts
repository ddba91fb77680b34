import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";

// Uniqueness guards: one item per username, e-mail, phone or document number, keyed by a keyed
// hash of the normalised value (never the value), holding the id of the user who claimed it.
// Claims are conditional puts (`attribute_not_exists(PK)`) inside the claiming transaction.

export type GuardKind = "USERNAME" | "EMAIL" | "PHONE" | "DOCUMENT";

export const ENTITY = "GUARD";

export const guardKey = (kind: GuardKind, hash: string) => ({ PK: `UNIQUE#${kind}#${hash}`, SK: "UNIQUE" });

export const toGuardItem = (key: ReturnType<typeof guardKey>, userId: string, extra: Record<string, unknown> = {}) => ({
  ...key,
  entity: ENTITY,
  userId,
  ...extra,
});

/** The user holding a guard, or undefined. */
export async function guardHolder(key: ReturnType<typeof guardKey>): Promise<string | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: key }));
  return out.Item?.userId as string | undefined;
}

/**
 * Transaction items that create an item only if none of its guards is taken, or taken by one of
 * `replacing` (accounts the caller removes in the same transaction). A refused guard returns its
 * holder (ReturnValuesOnConditionCheckFailure), so the caller can tell who holds it. `extra` goes
 * on each guard (a pending account's guards expire with it).
 */
export function claimWithGuards(item: Record<string, unknown>, guards: ReturnType<typeof guardKey>[], userId: string, options: { replacing?: string[]; extra?: Record<string, unknown> } = {}) {
  const TableName = tableName();
  const replacing = options.replacing ?? [];
  const values = Object.fromEntries(replacing.map((id, i) => [`:r${i}`, id]));
  const condition = ["attribute_not_exists(PK)", ...replacing.map((_, i) => `userId = :r${i}`)].join(" OR ");
  return [
    { Put: { TableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" } },
    ...guards.map((key) => ({
      Put: {
        TableName,
        Item: toGuardItem(key, userId, options.extra),
        ConditionExpression: condition,
        ...(replacing.length ? { ExpressionAttributeValues: values } : {}),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
      },
    })),
  ];
}
