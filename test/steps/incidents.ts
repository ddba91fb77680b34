import { createCipheriv, randomBytes, randomUUID } from "node:crypto";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { shardOf } from "#lib/data/keys";
import { eventually } from "#test/steps/eventually";
import { stack } from "#test/steps/stack";
import { table } from "#test/steps/table";
import { call } from "#test/steps/when";

// Incidents as ops start and follow them: through the API, or a message put straight on the real
// local queue (as `npm run incident` and other tools do); and users at volume for a breach.

let sqsClient: SQSClient | undefined;
const sqs = () =>
  (sqsClient ??= new SQSClient({ endpoint: stack().env.SQS_ENDPOINT, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }));

export const sendToIncidents = (body: unknown) =>
  sqs().send(new SendMessageCommand({ QueueUrl: stack().env.INCIDENTS_QUEUE_URL, MessageBody: typeof body === "string" ? body : JSON.stringify(body) }));

/** Looks for a body in the incidents DLQ without taking it (visibility 0). */
export const inIncidentsDlq = (marker: string) =>
  eventually(
    async () => {
      const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: stack().env.INCIDENTS_DLQ_URL, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ["All"] }));
      return (out.Messages ?? []).find((m) => m.Body?.includes(marker));
    },
    (m) => m !== undefined,
    `${marker} in the incidents DLQ`,
  );

export const incidentMessage = (type: string, userIds: string[] | undefined, details: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => ({
  incidentId: randomUUID(),
  type,
  severity: "HIGH",
  ...(userIds ? { userIds } : {}),
  details: { summary: `e2e ${type.toLowerCase()}`, ...details },
  requestedBy: "ops:e2e",
  ...overrides,
});

export const incident = (token: string, incidentId: string) => call("GET", `/admin/incidents/${incidentId}`, { token });

/** Waits until the incident is in `status` (GET /admin/incidents/{id}); returns its view. */
export async function untilIncident(token: string, incidentId: string, status: string, timeoutMs = 30_000) {
  // The body only: a timeout then shows where the incident stands (steps, last error, timeline).
  return eventually(async () => (await incident(token, incidentId)).body, (body) => body?.status === status, `incident ${incidentId} ${status}`, timeoutMs, 200);
}

/** Every user of an incident with its measures (GET /admin/incidents/{id}/users, all pages). */
export async function incidentUsers(token: string, incidentId: string): Promise<{ userId: string; measures: Record<string, Record<string, string>> }[]> {
  const items = [];
  let cursor: string | undefined;
  do {
    const res = await call("GET", `/admin/incidents/${incidentId}/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token });
    if (res.status !== 200) throw new Error(res.text);
    items.push(...res.body.items);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** AES-256-GCM under the stack's local keys, as lib/crypto/fields.ts seals a field. */
function sealed(plaintext: string, context: string): string {
  const { pii } = JSON.parse(stack().env.LOCAL_KEYS ?? "{}") as { pii: string };
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(pii, "base64"), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/**
 * `count` active users with an e-mail, registered at `createdAt` (+ i ms), written straight into
 * the table with BatchWriteItem (the user item as lib/data/user.ts writes it).
 */
export async function seedUsersWithMail(count: number, createdAt: Date): Promise<{ userId: string; email: string }[]> {
  const { client, name } = table();
  const prefix = `breach-${randomUUID().slice(0, 8)}`;
  const users = Array.from({ length: count }, (_, i) => ({ userId: `${prefix}-${i}`, email: `${prefix}-${i}@example.com`, at: new Date(createdAt.getTime() + i).toISOString() }));
  const items = users.map(({ userId, email, at }) => ({
    PK: `USER#${userId}`,
    SK: "PROFILE",
    GSI1PK: `USERS#ACTIVE#${shardOf(userId)}`,
    GSI1SK: `${at}#${userId}`,
    entity: "USER",
    ...{ userId, username: userId, status: "ACTIVE", level: "NEWBIE", identityStatus: "NONE", creditScore: 600, creditTier: "FAIR", points: 0 },
    emailEnc: sealed(email, `${userId}:email`),
    emailVerified: true,
    consent: { privacyPolicyVersion: "2026-11", at },
    createdAt: at,
    updatedAt: at,
  }));
  const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let c = lane; c < chunks.length; c += 8) {
        let pending: unknown[] = (chunks[c] ?? []).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) pending = (await client.send(new BatchWriteCommand({ RequestItems: { [name]: pending as never } }))).UnprocessedItems?.[name] ?? [];
      }
    }),
  );
  return users.map(({ userId, email }) => ({ userId, email }));
}

/** The templates of a user's outbox items. */
export async function outboxTemplatesOf(userId: string): Promise<string[]> {
  const { client, name } = table();
  const out = await client.send(
    new QueryCommand({ TableName: name, KeyConditionExpression: "PK = :pk AND begins_with(SK, :p)", ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":p": "OUTBOX#" }, ConsistentRead: true }),
  );
  return (out.Items ?? []).map((i) => String(i.template));
}
