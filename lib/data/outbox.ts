import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { ttlAfter, userPk } from "#lib/data/keys";

// The transactional outbox: one item per message a user is to receive, written in the same
// transaction as the state change that causes it. Template parameters and the destination are
// encrypted (payloadEnc); the sender (functions/send-messages, fed by the table's stream) claims
// the item, sends, and marks it delivered, erasing the payload.

export const ENTITY = "OUTBOX";
export const OUTBOX_TTL_SECONDS = 3 * 24 * 3600;
/** How long a sender may hold a claim before another delivery of the record may take over. */
export const CLAIM_SECONDS = 60;

export type OutboxStatus = "PENDING" | "SENDING" | "DELIVERED" | "FAILED" | "EXPIRED";

export interface OutboxRecord {
  messageId: string;
  userId: string;
  channel: "EMAIL" | "SMS";
  template: string;
  /** AES-GCM of `{ to, params }`, bound to the user and message; removed once delivered. */
  payloadEnc?: string;
  status: OutboxStatus;
  createdAt: string;
  /** Epoch ms after which the message is pointless (a code that has expired): it is then not sent. */
  notAfter?: number;
  attempts: number;
  deliveredAt?: string;
  lastError?: string;
}

export const outboxKey = (userId: string, messageId: string) => ({ PK: userPk(userId), SK: `OUTBOX#${messageId}` });
export const payloadContext = (userId: string, messageId: string) => `${userId}:outbox:${messageId}`;

export const toOutboxItem = (record: OutboxRecord) => ({
  ...outboxKey(record.userId, record.messageId),
  entity: ENTITY,
  ...record,
  ttl: ttlAfter(OUTBOX_TTL_SECONDS, Date.parse(record.createdAt)),
});

const names = { "#status": "status" };

/**
 * Takes the message for sending: only a PENDING one, or one whose earlier claim has lapsed (a
 * sender that died). Returns the item, or undefined when it is delivered, taken or gone.
 */
export async function claimMessage(userId: string, messageId: string, now = Date.now()): Promise<OutboxRecord | undefined> {
  try {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: outboxKey(userId, messageId),
        UpdateExpression: "SET #status = :sending, claimedUntil = :until ADD attempts :one",
        ConditionExpression: "attribute_exists(PK) AND (#status = :pending OR (#status = :sending AND claimedUntil < :now))",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":sending": "SENDING", ":pending": "PENDING", ":until": now + CLAIM_SECONDS * 1000, ":now": now, ":one": 1 },
        ReturnValues: "ALL_NEW",
      }),
    );
    return out.Attributes as OutboxRecord;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** The message's final state: DELIVERED, FAILED (permanently refused) or EXPIRED; the payload is erased. */
export async function settleMessage(userId: string, messageId: string, status: "DELIVERED" | "FAILED" | "EXPIRED", reason?: string) {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(userId, messageId),
      UpdateExpression: `SET #status = :status, settledAt = :now${reason ? ", lastError = :reason" : ""}${status === "DELIVERED" ? ", deliveredAt = :now" : ""} REMOVE payloadEnc, claimedUntil`,
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":status": status, ":now": new Date().toISOString(), ...(reason ? { ":reason": reason } : {}) },
    }),
  );
}

/** A failed try: back to PENDING (the stream record is retried), with the error's name. */
export async function releaseMessage(userId: string, messageId: string, errorName: string) {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(userId, messageId),
      UpdateExpression: "SET #status = :pending, lastError = :error REMOVE claimedUntil",
      ConditionExpression: "#status = :sending",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":pending": "PENDING", ":sending": "SENDING", ":error": errorName.slice(0, 100) },
    }),
  );
}
