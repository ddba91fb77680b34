import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { consumeBehaviorEvents } from "#lib/jobs/behavior-events";
import { logger, withLogContext } from "#lib/logger";

// behavior-events queue → counters. Invalid events go to the DLQ at once; only transient failures
// come back as batch item failures (functionResponseType: ReportBatchItemFailures).
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcome = await consumeBehaviorEvents(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })));
  logger.info("behaviour events consumed", { recorded: outcome.recorded, duplicates: outcome.duplicates, rejected: outcome.rejected, failed: outcome.failedMessageIds.length });
  return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
}).use(withLogContext());
