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
  // Every record failed: thrown back whole (what the local queue emulator needs to redeliver it).
  if (failures.length > 0 && failures.length === event.Records.length) throw new Error(`${failures.length} recompute batch(es) failed; retried`);
  return { batchItemFailures: failures };
}).use(withLogContext());
