import { randomBytes, randomInt } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { encryptField, lookupHash, safeEqual } from "#lib/crypto/fields";
import { type CodeOwner, type CodePurpose, type CodeRecord, codeKey, codeSubject, ENTITY, toCodeItem } from "#lib/data/code";
import { ttlAfter } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import type { UserRecord } from "#lib/data/user";
import { badRequest, tooManyRequests } from "#lib/errors";
import type { Channel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// One-time 6-digit codes for verification and password reset. Only a keyed hash is stored; a code
// expires after 10 minutes, allows 5 tries (each claimed before it is compared, so parallel
// guesses cannot exceed them), and a new one can be sent every 60 s. A login without a code of its
// own answers through a phantom code (lib/data/code.ts), the same way.

const hashCode = (owner: CodeOwner, purpose: CodePurpose, code: string) => lookupHash("CODE", `${codeSubject(owner)}:${purpose}:${code}`);

export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

const TEMPLATE = { VERIFY: "VERIFICATION_CODE", RESET: "RESET_CODE" } as const;

/** The item a fresh code is stored as; used alone or inside a registration transaction. */
export async function newCodeItem(owner: CodeOwner | string, purpose: CodePurpose, code: string, channel: Channel | undefined, now = Date.now()) {
  const o: CodeOwner = typeof owner === "string" ? { userId: owner } : owner;
  const { ttlSeconds } = config().codes;
  const record: CodeRecord = { codeHash: await hashCode(o, purpose, code), ...(channel ? { channel } : {}), sentAt: now, expiresAt: now + ttlSeconds * 1000, attempts: 0 };
  return toCodeItem(o, purpose, record, ttlAfter(ttlSeconds + 3600, now));
}

const cooldownPut = async (owner: CodeOwner, purpose: CodePurpose, code: string, channel: Channel | undefined, now: number) => ({
  Put: {
    TableName: tableName(),
    Item: await newCodeItem(owner, purpose, code, channel, now),
    ConditionExpression: "attribute_not_exists(PK) OR sentAt <= :cutoff",
    ExpressionAttributeValues: { ":cutoff": now - config().codes.resendCooldownSeconds * 1000 },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  },
});

function cooldownRefusal(error: unknown, now: number): never {
  if (error instanceof TransactionCancelled && error.failedAt() === 0) {
    const sentAt = Number(error.items[0]?.sentAt ?? now);
    throw tooManyRequests("RESEND_COOLDOWN", "A code was sent recently; wait before asking for another.", (sentAt + config().codes.resendCooldownSeconds * 1000 - now) / 1000);
  }
  throw error;
}

/**
 * Replaces the user's code of this purpose and queues it for delivery, in one transaction, unless
 * one was sent less than the cooldown ago (the condition holds it under concurrent requests). The
 * code goes out through the outbox, so the answer does not wait on SES or SNS.
 */
export async function issueCode(user: Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">, purpose: CodePurpose, channel: Channel): Promise<void> {
  const now = Date.now();
  const code = newCode();
  try {
    await transactWrite({ TransactItems: [await cooldownPut({ userId: user.userId }, purpose, code, channel, now), await codeMessage(user, purpose, channel, code, now)] });
  } catch (error) {
    cooldownRefusal(error, now);
  }
}

/**
 * What issueCode does, for a login that gets no code (unknown, or in another state): a phantom
 * code under the same cooldown, written in a transaction of the same shape (the second item only
 * reads the login's guard), after the same kind of crypto work. Nothing is sent.
 */
export async function issuePhantomCode(loginHash: string, guard: { PK: string; SK: string }, purpose: CodePurpose): Promise<void> {
  const now = Date.now();
  await encryptField(randomBytes(48).toString("base64"), "phantom"); // the real path encrypts the message's payload
  try {
    await transactWrite({
      TransactItems: [
        await cooldownPut({ loginHash }, purpose, randomBytes(8).toString("hex"), undefined, now),
        { ConditionCheck: { TableName: tableName(), Key: guard, ConditionExpression: "attribute_exists(PK) OR attribute_not_exists(PK)" } },
      ],
    });
  } catch (error) {
    cooldownRefusal(error, now);
  }
}

/** The message that carries a new code, for a caller that writes the code in its own transaction. */
export const codeMessage = (user: Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">, purpose: CodePurpose, channel: Channel, code: string, now: number) =>
  queueMessage(user, channel, TEMPLATE[purpose], { code }, { notAfter: now + config().codes.ttlSeconds * 1000, now });

const tooManyAttempts = (sentAt: number, now: number) =>
  tooManyRequests("TOO_MANY_ATTEMPTS", "Too many wrong codes; request a new one.", Math.max(1, (sentAt + config().codes.resendCooldownSeconds * 1000 - now) / 1000));

/** Claims one try of the owner's code (or of the login's phantom when it has none), before any comparison. */
async function claimTry(owner: CodeOwner, purpose: CodePurpose, loginHash: string, now: number): Promise<{ owner: CodeOwner; code: CodeRecord }> {
  const { maxAttempts, ttlSeconds } = config().codes;
  const attempt = async (o: CodeOwner, create: boolean) => {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: codeKey(o, purpose),
        UpdateExpression: create
          ? "SET entity = :entity, codeHash = if_not_exists(codeHash, :none), sentAt = if_not_exists(sentAt, :now), expiresAt = if_not_exists(expiresAt, :exp), #ttl = if_not_exists(#ttl, :ttl) ADD attempts :one"
          : "ADD attempts :one",
        ConditionExpression: create ? "attribute_not_exists(PK) OR attempts < :max" : "attribute_exists(PK) AND attempts < :max",
        ...(create ? { ExpressionAttributeNames: { "#ttl": "ttl" } } : {}),
        ExpressionAttributeValues: {
          ":one": 1,
          ":max": maxAttempts,
          ...(create ? { ":entity": ENTITY, ":none": randomBytes(16).toString("base64url"), ":now": now, ":exp": now + ttlSeconds * 1000, ":ttl": ttlAfter(ttlSeconds + 3600, now) } : {}),
        },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { owner: o, code: out.Attributes as CodeRecord };
  };
  try {
    return await attempt(owner, "loginHash" in owner);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (error.Item) throw tooManyAttempts(Number(unmarshall(error.Item).sentAt ?? now), now); // the code exists: its tries are used up
    if ("loginHash" in owner) throw error;
  }
  // The account has no code of this purpose: its login answers through a phantom, like an unknown one.
  try {
    return await attempt({ loginHash }, true);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) throw tooManyAttempts(Number(unmarshall(error.Item).sentAt ?? now), now);
    throw error;
  }
}

export type CheckedCode = { codeHash: string; consumed: boolean };

/**
 * Checks a code: one try is claimed first (at the limit: 429), then the code is compared. Wrong →
 * 400 CODE_MISMATCH with the tries left; right but expired → 400 CODE_EXPIRED; right → its hash
 * (the caller consumes it atomically with its own change) and whether it was used already.
 */
export async function checkCode(owner: CodeOwner, purpose: CodePurpose, code: string, loginHash: string): Promise<CheckedCode> {
  const now = Date.now();
  const claimed = await claimTry(owner, purpose, loginHash, now);
  const candidate = await hashCode(claimed.owner, purpose, code);
  if (!safeEqual(candidate, claimed.code.codeHash)) {
    throw badRequest("CODE_MISMATCH", "The code is not correct.", { attemptsRemaining: Math.max(0, config().codes.maxAttempts - claimed.code.attempts) });
  }
  const consumed = claimed.code.consumedAt !== undefined;
  if (!consumed && now > claimed.code.expiresAt) throw badRequest("CODE_EXPIRED", "The code has expired; request a new one.");
  return { codeHash: claimed.code.codeHash, consumed };
}

/** Transaction item that deletes the code only if it is still the one that was checked and unused. */
export function consumeCodeItem(userId: string, purpose: CodePurpose, codeHash: string) {
  return {
    Delete: {
      TableName: tableName(),
      Key: codeKey(userId, purpose),
      ConditionExpression: "codeHash = :hash AND attribute_not_exists(consumedAt)",
      ExpressionAttributeValues: { ":hash": codeHash },
    },
  };
}

/** Transaction item that marks a verification code used (kept, so a repeated verify answers as the first). */
export function markCodeUsedItem(userId: string, purpose: CodePurpose, codeHash: string, now = Date.now()) {
  return {
    Update: {
      TableName: tableName(),
      Key: codeKey(userId, purpose),
      // Its tries start over: a used code answers wrong guesses like any other login (5 tries).
      UpdateExpression: "SET consumedAt = :now, attempts = :zero",
      ConditionExpression: "codeHash = :hash AND attribute_not_exists(consumedAt)",
      ExpressionAttributeValues: { ":hash": codeHash, ":now": now, ":zero": 0 },
    },
  };
}
