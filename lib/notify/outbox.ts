import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { encryptField } from "#lib/crypto/fields";
import { payloadContext, toOutboxItem } from "#lib/data/outbox";
import type { UserRecord } from "#lib/data/user";
import { type Channel, contactOf } from "#lib/notify/channels";
import type { ParamsOf, TemplateName } from "#lib/notify/templates";

// Every user-facing message leaves through here: as an outbox item written in the same
// transaction as the state change that causes it. Nothing on a request path talks to SES or SNS,
// so a provider outage delays messages but loses none, and never slows a request.

type Recipient = Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">;

export interface QueueOptions {
  /** Epoch ms after which the message is not worth sending (a code that has expired). */
  notAfter?: number;
  now?: number;
}

/** The outbox item of one message; the destination is taken now (a later change of address does not redirect it). */
export async function outboxItem<T extends TemplateName>(user: Recipient, channel: Channel, template: T, params: ParamsOf<T>, options: QueueOptions = {}) {
  const contact = await contactOf(user);
  const to = channel === "EMAIL" ? contact.email : contact.phone;
  if (!to) throw new Error(`user has no ${channel} destination`);
  const messageId = randomUUID();
  return toOutboxItem({
    messageId,
    userId: user.userId,
    channel,
    template,
    payloadEnc: await encryptField(JSON.stringify({ to, params }), payloadContext(user.userId, messageId)),
    status: "PENDING",
    createdAt: new Date(options.now ?? Date.now()).toISOString(),
    attempts: 0,
    ...(options.notAfter !== undefined ? { notAfter: options.notAfter } : {}),
  });
}

/** The transaction item that queues the message beside the caller's change. */
export async function queueMessage<T extends TemplateName>(user: Recipient, channel: Channel, template: T, params: ParamsOf<T>, options?: QueueOptions) {
  return { Put: { TableName: tableName(), Item: await outboxItem(user, channel, template, params, options), ConditionExpression: "attribute_not_exists(PK)" } };
}

/** Queues a message on its own, for notices that accompany no table change of ours. */
export async function sendLater<T extends TemplateName>(user: Recipient, channel: Channel, template: T, params: ParamsOf<T>, options?: QueueOptions) {
  await dynamodb.send(new PutCommand((await queueMessage(user, channel, template, params, options)).Put));
}
