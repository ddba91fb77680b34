import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { clientOptions } from "#lib/clients/aws";
import { config } from "#lib/config";

// Module scope: created once per cold start and reused by every invocation.
export const sqs = new SQSClient(clientOptions(config().endpoints.sqs));

/** Queue URLs of this stage. */
export const queueUrls = () => ({
  behaviorEvents: config().behaviorEventsQueueUrl,
  behaviorEventsDlq: config().behaviorEventsDlqUrl,
  recompute: config().recomputeQueueUrl,
});

function required(url: string, name: string): string {
  if (!url) throw new Error(`${name} queue URL is not configured`);
  return url;
}

export async function sendMessage(queueUrl: string, body: unknown, attributes: Record<string, string> = {}): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: required(queueUrl, "target"),
      MessageBody: typeof body === "string" ? body : JSON.stringify(body),
      MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }])),
    }),
  );
}

/** Sends many bodies, ten per request (the SQS limit); throws if any entry was refused after one retry. */
export async function sendMessages(queueUrl: string, bodies: unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    let entries = bodies.slice(i, i + 10).map((body, n) => ({ Id: String(n), MessageBody: JSON.stringify(body) }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: required(queueUrl, "target"), Entries: entries }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
      if (entries.length > 0 && attempt >= 2) throw new Error(`SQS refused ${entries.length} message(s)`);
    }
  }
}

export interface ReceivedMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
}

export async function receiveMessages(queueUrl: string, max = 10, waitSeconds = 1): Promise<ReceivedMessage[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds }));
  return (out.Messages ?? []).map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "", receiptHandle: m.ReceiptHandle ?? "" }));
}

export async function deleteMessage(queueUrl: string, receiptHandle: string): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
}

/** Messages waiting plus in flight (received by some consumer, not yet deleted). */
export async function pendingMessages(queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}
