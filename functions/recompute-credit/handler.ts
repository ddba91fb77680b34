import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parseRecomputeBatch, recomputeBatch } from "#lib/credit/recompute";
import { logger, withLogContext } from "#lib/logger";

// Recompute queue → scores. A batch with any failed user is handed back whole (recomputing is
// idempotent) and reaches the DLQ after maxReceiveCount tries.
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const outcome = await recomputeBatch(parseRecomputeBatch(record.body));
      if (outcome.failedUserIds.length > 0) failures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logger.error("recompute batch failed", { messageId: record.messageId, errorName: (error as Error).name });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}).use(withLogContext());
