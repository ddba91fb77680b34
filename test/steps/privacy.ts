import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expect } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { fileComplaint, transitioned } from "#test/steps/complaints";
import { aPassportNumber, documents } from "#test/steps/documents";
import { eventually } from "#test/steps/eventually";
import { given, type TestUser } from "#test/steps/given";
import { stack } from "#test/steps/stack";
import { allItems, table } from "#test/steps/table";
import { call } from "#test/steps/when";

// Steps of the privacy rights flows (test/e2e/privacy-*.test.ts): a user with some of every kind
// of data, the export, the deletion and its progress, and the raw table and bucket afterwards.

export const privacy = {
  export: (token: string) => call("GET", "/me/data-export", { token }),
  deleteMe: (token: string, password: unknown) => call("DELETE", "/me", { token, body: { password } }),
  deletion: (staffToken: string, userId: string) => call("GET", `/admin/deletions/${userId}`, { token: staffToken }),
  resume: (staffToken: string, userId: string) => call("POST", `/admin/deletions/${userId}/resume`, { token: staffToken }),

  /** Waits until the deletion of the user has the status (read as staff). */
  until: (staffToken: string, userId: string, status: string, timeoutMs = 30_000) =>
    eventually(
      async () => (await privacy.deletion(staffToken, userId)).body as { status: string; steps: { name: string; status: string; failures?: number; counts?: Record<string, number> }[] },
      (d) => d?.status === status,
      `deletion of ${userId} ${status}`,
      timeoutMs,
    ),
};

export interface UserWithHistory {
  user: TestUser & { phone: string };
  token: string;
  fullName: string;
  /** A word of letters unique to this user, in every text the user wrote (to find them in raw items). */
  marker: string;
  complaintId: string;
  againstId: string;
  other: TestUser;
}

const letters = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

/**
 * A signed-in user (e-mail and phone) with some of every kind of data: login activity, a
 * submitted document (images in S3), behaviour events (credit events, rewards ledger), a complaint
 * with a message of theirs, a dispute another user filed against them that staff (`staffToken`)
 * took to mediation, where the user answered, feedback and a consent.
 */
export async function aUserWithHistory(staffToken: string): Promise<UserWithHistory> {
  const phone = given.uniquePhone();
  const marker = `Ada${letters()}`;
  const fullName = `${marker} Lovelace`;
  const { user, tokens } = await given.aSignedInUser({ phone, displayName: fullName });
  const token = tokens.accessToken;
  const submitted = await documents.submitted(token, { type: "PASSPORT", fullName, documentNumber: aPassportNumber(), files: [{ kind: "FRONT", contentType: "image/png", size: 2048 }, { kind: "SELFIE", contentType: "image/jpeg", size: 2048 }] });
  expect(submitted.status, submitted.text).toBe(202);
  const events = [behaviourEvent(user.userId, "ACTIVE_DAY"), behaviourEvent(user.userId, "TRANSACTION_COMPLETED")];
  for (const e of events) await send(e);
  await eventually(async () => (await call("GET", "/me/rewards?limit=100", { token })).body?.ledger?.length ?? 0, (n) => n >= 2, "the events' ledger entries");
  const { complaintId } = await fileComplaint(token, { subject: `${marker}'s bike was missing`, description: `Call me on my phone, ${fullName}.` });
  const message = await call("POST", `/complaints/${complaintId}/messages`, { token, body: { body: `${marker} here: any news?` } });
  expect(message.status, message.text).toBe(201);
  const other = await given.aSignedInUser();
  const against = await fileComplaint(other.tokens.accessToken, { againstUserId: user.userId, subject: "The renter damaged my tool", description: "Bob's contact: +8613912345678" });
  await transitioned(staffToken, against.complaintId, { action: "CLASSIFY", category: "PRODUCT", priority: "NORMAL" });
  await transitioned(staffToken, against.complaintId, { action: "START_MEDIATION" });
  const answer = await call("POST", `/complaints/${against.complaintId}/messages`, { token, body: { body: `${marker} answers: it was broken before.` } });
  expect(answer.status, answer.text).toBe(201);
  const feedback = await call("POST", "/feedback", { token, body: { topic: "Map", body: `${marker} would like a dark map.`, rating: 4 } });
  expect(feedback.status, feedback.text).toBe(201);
  const consent = await call("POST", "/me/consent", { token, body: { privacyPolicyVersion: "2026-11", channel: "APP" } });
  expect(consent.status, consent.text).toBe(200);
  return { user: { ...user, phone }, token, fullName, marker, complaintId, againstId: against.complaintId, other: other.user };
}

/** Every raw item of the user's partition (consistent). */
export async function partitionOf(userId: string): Promise<Record<string, unknown>[]> {
  const { client, name } = table();
  const out = await client.send(new QueryCommand({ TableName: name, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `USER#${userId}` }, ConsistentRead: true }));
  return out.Items ?? [];
}

/** Every raw item of the table that mentions the text anywhere (keys or attributes). */
export async function itemsMentioning(text: string): Promise<Record<string, unknown>[]> {
  return (await allItems()).filter((item) => JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v)).includes(text));
}

/** The keys of the bucket's objects under a prefix (s3rver does not check signatures). */
export async function objectsUnder(prefix: string): Promise<string[]> {
  const res = await fetch(`${stack().urls.s3}/${stack().env.DOCUMENTS_BUCKET}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
  expect(res.status).toBe(200);
  return [...(await res.text()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] ?? "");
}

/**
 * Makes a finished deletion look as a worker left it when it died during `step`: that step and
 * the ones after it not done, the record FAILED, and what they erase put back (an image, a session).
 */
export async function crashedDuring(userId: string, steps: string[], leftOver: { objectKey: string }) {
  const { client, name } = table();
  const names = Object.fromEntries(steps.map((s, i) => [`#s${i}`, s]));
  await client.send(
    new UpdateCommand({
      TableName: name,
      Key: { PK: `DELETION#${userId}`, SK: "DELETION" },
      UpdateExpression: `SET #status = :failed, steps.#s0 = :failedStep REMOVE ${["finishedAt", ...steps.slice(1).map((_, i) => `steps.#s${i + 1}`)].join(", ")}`,
      ExpressionAttributeNames: { "#status": "status", ...names },
      ExpressionAttributeValues: { ":failed": "FAILED", ":failedStep": { status: "FAILED", failures: 1, lastError: "TimeoutError: the worker was cut off" } },
    }),
  );
  await client.send(new PutCommand({ TableName: name, Item: { PK: `USER#${userId}`, SK: "SESSION#left-over", entity: "SESSION", sessionId: "left-over", ip: "203.0.113.77", userAgent: "left-over-agent", createdAt: Date.now() } }));
  await client.send(new UpdateCommand({ TableName: name, Key: { PK: `USER#${userId}`, SK: "PROFILE" }, UpdateExpression: "SET #status = :deleting", ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":deleting": "DELETING" } }));
  const put = await fetch(`${stack().urls.s3}/${stack().env.DOCUMENTS_BUCKET}/${leftOver.objectKey}`, { method: "PUT", body: new Uint8Array(16).fill(1), headers: { "content-type": "image/png" } });
  expect(put.status).toBe(200);
}
