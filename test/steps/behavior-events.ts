import { randomUUID } from "node:crypto";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { eventually } from "#test/steps/eventually";
import { stack } from "#test/steps/stack";

// Behaviour events as other services send them: onto the real local queue.

let sqsClient: SQSClient | undefined;
const sqs = () =>
  (sqsClient ??= new SQSClient({ endpoint: stack().env.SQS_ENDPOINT, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }));

export const behaviourEvent = (userId: string, type: string, attributes: Record<string, unknown> = {}, eventId = randomUUID()) => ({
  eventId,
  userId,
  type,
  occurredAt: new Date().toISOString(),
  attributes,
});

export const send = (body: unknown) =>
  sqs().send(new SendMessageCommand({ QueueUrl: stack().env.BEHAVIOR_EVENTS_QUEUE_URL, MessageBody: typeof body === "string" ? body : JSON.stringify(body) }));

/** Looks for a body in the DLQ without taking it (visibility 0), so other tests still see theirs. */
export const inDlq = (marker: string) =>
  eventually(
    async () => {
      const out = await sqs().send(
        new ReceiveMessageCommand({ QueueUrl: stack().env.BEHAVIOR_EVENTS_DLQ_URL, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ["All"] }),
      );
      return (out.Messages ?? []).find((m) => m.Body?.includes(marker));
    },
    (m) => m !== undefined,
    `${marker} in the DLQ`,
  );
