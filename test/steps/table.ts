import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { stack } from "#test/steps/stack";

let client: DynamoDBDocumentClient | undefined;

/** A real client to the stack's DynamoDB Local, for setting up time and inspecting raw items. */
export function table() {
  const env = stack().env;
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.DYNAMODB_ENDPOINT,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  return { client, name: env.TABLE_NAME as string };
}

/** Moves a user's one-time code past its expiry (instead of waiting 10 minutes). */
export async function expireCode(userId: string, purpose: "VERIFY" | "RESET") {
  const { client, name } = table();
  await client.send(
    new UpdateCommand({
      TableName: name,
      Key: { PK: `USER#${userId}`, SK: `CODE#${purpose}` },
      UpdateExpression: "SET expiresAt = :past, sentAt = :past",
      ExpressionAttributeValues: { ":past": Date.now() - 11 * 60 * 1000 },
      ConditionExpression: "attribute_exists(PK)",
    }),
  );
}

/** Every item of the table, raw. */
export async function allItems(): Promise<Record<string, unknown>[]> {
  const { client, name } = table();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Makes a pending registration look older than it is (instead of waiting for it to age). */
export async function ageRegistration(userId: string, seconds: number) {
  const { client, name } = table();
  await client.send(
    new UpdateCommand({
      TableName: name,
      Key: { PK: `USER#${userId}`, SK: "PROFILE" },
      UpdateExpression: "SET createdAt = :then",
      ExpressionAttributeValues: { ":then": new Date(Date.now() - seconds * 1000).toISOString() },
      ConditionExpression: "attribute_exists(PK)",
    }),
  );
}
