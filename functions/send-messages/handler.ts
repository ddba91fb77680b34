import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { logger, withLogContext } from "#lib/logger";
import { deliverMessages, type OutboxRef } from "#lib/notify/sender";

// Table stream (new outbox items only, by the event-source filter) → SES / SNS. A batch with a
// message that could not be sent is thrown back whole after the sender's backoff: the stream
// retries it, and every message already settled is skipped (the sender reads the batch's items
// before claiming any), so only the failed ones go out again. (The same on AWS and in the local
// stream emulator, which ignores batch item failures and retries only a thrown batch.)
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<void> => {
  const refs: OutboxRef[] = event.Records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || image?.entity?.S !== "OUTBOX") return [];
    const userId = image.userId?.S;
    const messageId = image.messageId?.S;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    return userId && messageId && sequenceNumber ? [{ userId, messageId, sequenceNumber }] : [];
  });
  const outcome = await deliverMessages(refs);
  logger.info("outbox batch", { records: event.Records.length, delivered: outcome.delivered, skipped: outcome.skipped, settled: outcome.settled, failed: outcome.failed.length });
  if (outcome.failed.length > 0) throw new Error(`${outcome.failed.length} of ${refs.length} message(s) not sent; the batch is retried`);
}).use(withLogContext());
