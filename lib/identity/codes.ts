import { randomInt } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { lookupHash, safeEqual } from "#lib/crypto/fields";
import { type CodePurpose, type CodeRecord, codeKey, fromCodeItem, toCodeItem } from "#lib/data/code";
import { ttlAfter } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import type { UserRecord } from "#lib/data/user";
import { type AppError, badRequest, tooManyRequests } from "#lib/errors";
import type { Channel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// One-time 6-digit codes for verification and password reset. Only a keyed hash is stored; a code
// is single use, expires after 10 minutes, allows 5 wrong tries, and a new one can be sent every 60 s.

const hashCode = (userId: string, purpose: CodePurpose, code: string) => lookupHash("CODE", `${userId}:${purpose}:${code}`);

export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** The item a fresh code is stored as; used alone or inside a registration transaction. */
export async function newCodeItem(userId: string, purpose: CodePurpose, code: string, channel: Channel, now = Date.now()) {
  const { ttlSeconds } = config().codes;
  const record: CodeRecord = { codeHash: await hashCode(userId, purpose, code), channel, sentAt: now, expiresAt: now + ttlSeconds * 1000, attempts: 0 };
  return toCodeItem(userId, purpose, record, ttlAfter(ttlSeconds + 3600, now));
}

const TEMPLATE = { VERIFY: "VERIFICATION_CODE", RESET: "RESET_CODE" } as const;

/**
 * Replaces the user's code of this purpose and queues it for delivery, in one transaction, unless
 * one was sent less than the cooldown ago (the condition makes the cooldown hold under concurrent
 * requests). The code goes out through the outbox, so the answer does not wait on SES or SNS.
 */
export async function issueCode(user: Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">, purpose: CodePurpose, channel: Channel): Promise<void> {
  const now = Date.now();
  const { resendCooldownSeconds, ttlSeconds } = config().codes;
  const code = newCode();
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: await newCodeItem(user.userId, purpose, code, channel, now),
            ConditionExpression: "attribute_not_exists(PK) OR sentAt <= :cutoff",
            ExpressionAttributeValues: { ":cutoff": now - resendCooldownSeconds * 1000 },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        await queueMessage(user, channel, TEMPLATE[purpose], { code }, { notAfter: now + ttlSeconds * 1000, now }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) {
      const sentAt = Number(error.items[0]?.sentAt ?? now);
      const wait = (sentAt + resendCooldownSeconds * 1000 - now) / 1000;
      throw tooManyRequests("RESEND_COOLDOWN", "A code was sent recently; wait before asking for another.", wait);
    }
    throw error;
  }
}

/** The message that carries a new code, for a caller that writes the code in its own transaction. */
export const codeMessage = (user: Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">, purpose: CodePurpose, channel: Channel, code: string, now: number) =>
  queueMessage(user, channel, TEMPLATE[purpose], { code }, { notAfter: now + config().codes.ttlSeconds * 1000, now });

const noActiveCode = () => badRequest("CODE_EXPIRED", "There is no valid code; request a new one.");

/**
 * Checks a code without consuming it (the caller consumes it atomically with its own change, see
 * consumeCondition). Wrong codes count against the 5 tries.
 */
export async function checkCode(userId: string, purpose: CodePurpose, code: string, stored?: { item?: Record<string, unknown> }): Promise<{ codeHash: string }> {
  const { maxAttempts, resendCooldownSeconds } = config().codes;
  // Callers that already read the code item (in the same round trip as the user) pass it in.
  const item = fromCodeItem(
    stored ? stored.item : (await dynamodb.send(new GetCommand({ TableName: tableName(), Key: codeKey(userId, purpose), ConsistentRead: true }))).Item,
  );
  const now = Date.now();
  if (!item) throw noActiveCode();
  if (item.attempts >= maxAttempts) throw tooManyAttempts(item, now, resendCooldownSeconds);
  if (now > item.expiresAt) throw noActiveCode();
  const candidate = await hashCode(userId, purpose, code);
  if (safeEqual(candidate, item.codeHash)) return { codeHash: item.codeHash };

  try {
    const updated = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: codeKey(userId, purpose),
        UpdateExpression: "ADD attempts :one",
        ConditionExpression: "attempts < :max AND codeHash = :hash",
        ExpressionAttributeValues: { ":one": 1, ":max": maxAttempts, ":hash": item.codeHash },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    const attempts = Number(updated.Attributes?.attempts ?? maxAttempts);
    throw badRequest("CODE_MISMATCH", "The code is not correct.", { attemptsRemaining: Math.max(0, maxAttempts - attempts) });
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw tooManyAttempts(item, now, resendCooldownSeconds);
    throw error;
  }
}

function tooManyAttempts(item: CodeRecord, now: number, cooldown: number): AppError {
  const wait = Math.max(1, (item.sentAt + cooldown * 1000 - now) / 1000);
  return tooManyRequests("TOO_MANY_ATTEMPTS", "Too many wrong codes; request a new one.", wait);
}

/** Transaction item that deletes the code only if it is still the one that was checked. */
export function consumeCodeItem(userId: string, purpose: CodePurpose, codeHash: string) {
  return {
    Delete: {
      TableName: tableName(),
      Key: codeKey(userId, purpose),
      ConditionExpression: "codeHash = :hash",
      ExpressionAttributeValues: { ":hash": codeHash },
    },
  };
}
