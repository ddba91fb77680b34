import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { lookupHash } from "#lib/crypto/fields";
import { keys } from "#lib/data/keys";
import { classifyLogin, type LoginKind } from "#lib/identity/rules";

const GUARD_KIND = { username: "USERNAME", email: "EMAIL", phone: "PHONE" } as const;

/** The uniqueness guard of a normalised identifier: its key holds only a keyed hash of the value. */
export async function guardKey(kind: LoginKind, normalised: string) {
  const guard = GUARD_KIND[kind];
  return keys.unique(guard, await lookupHash(guard, normalised));
}

/** Finds the user a login (username, email or phone) belongs to, or undefined. One read. */
export async function resolveLogin(login: string): Promise<{ userId?: string; kind: LoginKind; loginHash: string }> {
  const { kind, value } = classifyLogin(login);
  const key = await guardKey(kind, value);
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: key }));
  return { userId: out.Item?.userId as string | undefined, kind, loginHash: key.PK };
}

/** Transaction items that create a user only if none of its identifiers is taken. */
export function uniquenessClaim(user: Record<string, unknown>, guards: Record<string, string>[], userId: string) {
  const TableName = tableName();
  return [
    { Put: { TableName, Item: user, ConditionExpression: "attribute_not_exists(PK)" } },
    ...guards.map((key) => ({
      Put: { TableName, Item: { ...key, type: "UNIQUE", userId }, ConditionExpression: "attribute_not_exists(PK)" },
    })),
  ];
}
