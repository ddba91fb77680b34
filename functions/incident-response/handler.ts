import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { config } from "#lib/config";
import { consumeIncidentMessages } from "#lib/incidents/consumer";
import { logger, withLogContext } from "#lib/logger";

// incidents queue → runbooks. Each invocation works at most INCIDENT_SLICE_SECONDS (and stops 5 s
// before its timeout), then hands over with a CONTINUE message. Poison messages are dead-lettered by
// the consumer; only transient failures come back as batch item failures. A batch whose every record
// failed is thrown back instead: the same to SQS on AWS, and the only failure the local queue
// emulator redelivers (it deletes a batch whose handler returned, whatever it reported).
export const handler = middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 30_000;
  const deadline = Date.now() + Math.max(1_000, Math.min(config().incidents.sliceSeconds * 1000, remaining - 5_000));
  const outcome = await consumeIncidentMessages(
    event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
    { deadline },
  );
  logger.info("incident messages consumed", { ...outcome.outcomes, failed: outcome.failedMessageIds.length });
  if (outcome.failedMessageIds.length > 0 && outcome.failedMessageIds.length === event.Records.length) {
    throw new Error(`none of ${event.Records.length} incident message(s) could be handled; the batch is retried`);
  }
  return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
}).use(withLogContext());
