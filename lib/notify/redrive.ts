import { randomUUID } from "node:crypto";
import { tableName } from "#lib/clients/dynamodb";
import { decryptField, encryptField } from "#lib/crypto/fields";
import { outboxKey, payloadContext, readMessages, toOutboxItem } from "#lib/data/outbox";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";

// Sending a message again after an outage outlasted the stream's retries (its stream batch is in
// the outbox DLQ, the item still PENDING): the sender only sees new items, so the message is put
// again under a new id (its payload re-encrypted for that id: the old ciphertext is bound to the old
// one) and the old item is marked REDRIVEN in the same transaction, so it is never sent twice.

export type RedriveOutcome = "REDRIVEN" | "NOT_PENDING" | "NOT_FOUND" | "EXPIRED";

export async function redriveMessage(userId: string, messageId: string, now = Date.now()): Promise<{ outcome: RedriveOutcome; newMessageId?: string }> {
  const [old] = await readMessages([outboxKey(userId, messageId)]);
  if (!old) return { outcome: "NOT_FOUND" };
  if (old.status !== "PENDING" || !old.payloadEnc) return { outcome: "NOT_PENDING" };
  if (old.notAfter !== undefined && now > old.notAfter) return { outcome: "EXPIRED" }; // an expired code is not worth sending
  const newMessageId = randomUUID();
  const payload = await decryptField(old.payloadEnc, payloadContext(userId, messageId));
  const copy = toOutboxItem({
    messageId: newMessageId,
    userId,
    channel: old.channel,
    template: old.template,
    payloadEnc: await encryptField(payload, payloadContext(userId, newMessageId)),
    status: "PENDING",
    createdAt: new Date(now).toISOString(),
    attempts: 0,
    ...(old.notAfter !== undefined ? { notAfter: old.notAfter } : {}),
  });
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: outboxKey(userId, messageId),
            UpdateExpression: "SET #status = :redriven, redrivenAs = :new, settledAt = :at REMOVE payloadEnc",
            ConditionExpression: "#status = :pending AND attempts = :attempts",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":redriven": "REDRIVEN", ":new": newMessageId, ":at": new Date(now).toISOString(), ":pending": "PENDING", ":attempts": old.attempts },
          },
        },
        { Put: { TableName: tableName(), Item: copy, ConditionExpression: "attribute_not_exists(PK)" } },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) return { outcome: "NOT_PENDING" }; // sent or redriven meanwhile
    throw error;
  }
  return { outcome: "REDRIVEN", newMessageId };
}


