import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { consumeBehaviorEvents } from "#lib/jobs/behavior-events";
import { logger, withLogContext } from "#lib/logger";

// behavior-events queue → counters. Invalid events go to the DLQ at once; only transient failures
// come back as batch item failures (functionResponseType: ReportBatchItemFailures). A batch whose
// every record failed is thrown back instead: the same to SQS on AWS, and the only failure the local
// queue emulator redelivers (it deletes a batch whose handler returned, whatever it reported).
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcome = await consumeBehaviorEvents(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })));
  logger.info("behaviour events consumed", { recorded: outcome.recorded, duplicates: outcome.duplicates, rejected: outcome.rejected, failed: outcome.failedMessageIds.length });
  if (outcome.failedMessageIds.length > 0 && outcome.failedMessageIds.length === event.Records.length) {
    throw new Error(`none of ${event.Records.length} behaviour event(s) could be recorded; the batch is retried`);
  }
  return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
}).use(withLogContext());
