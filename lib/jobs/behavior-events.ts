import { queueUrls, sendMessage } from "#lib/clients/sqs";
import { parseBehaviorEvent, type BehaviorEvent } from "#lib/events/schema";
import { recordEvent, UnknownUserError } from "#lib/credit/ingest";
import { logger } from "#lib/logger";
import { earnFromEvent } from "#lib/rewards/earn";

export interface QueuedMessage {
  messageId: string;
  body: string;
}

export interface BatchOutcome {
  /** Messages to hand back to the queue (retried, then dead-lettered by its redrive policy). */
  failedMessageIds: string[];
  recorded: number;
  duplicates: number;
  rejected: number;
}

/**
 * Consumes a batch of behaviour events. An invalid event is sent straight to the dead-letter queue
 * (with the reason, which names fields only) and acknowledged: retrying cannot fix it, and a
 * failure report would only delay it. Only transient failures (DynamoDB, SQS) are reported back,
 * so they are retried while the rest of the batch completes. One user's events run in order
 * (they touch the same counters); different users in parallel.
 */
export async function consumeBehaviorEvents(messages: QueuedMessage[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { failedMessageIds: [], recorded: 0, duplicates: 0, rejected: 0 };
  const byUser = new Map<string, { messageId: string; event: BehaviorEvent }[]>();

  await Promise.all(
    messages.map(async ({ messageId, body }) => {
      const parsed = parseBehaviorEvent(body);
      if (parsed.ok) {
        const list = byUser.get(parsed.event.userId) ?? [];
        list.push({ messageId, event: parsed.event });
        byUser.set(parsed.event.userId, list);
        return;
      }
      if (!(await deadLetter(messageId, body, parsed.reason, outcome))) outcome.failedMessageIds.push(messageId);
    }),
  );

  await Promise.all(
    [...byUser.values()].map(async (events) => {
      for (const { messageId, event } of events) {
        try {
          const recorded = await recordEvent(event);
          // Also on DUPLICATE: a delivery whose earning failed after the event was recorded is
          // paid by its redelivery. Earning is idempotent by the event id on its own.
          await earnFromEvent(event);
          if (recorded === "RECORDED") outcome.recorded++;
          else outcome.duplicates++;
        } catch (error) {
          if (error instanceof UnknownUserError && (await deadLetter(messageId, JSON.stringify(event), error.message, outcome))) continue;
          logger.error("behaviour event not recorded", { messageId, eventId: event.eventId, errorName: (error as Error).name });
          outcome.failedMessageIds.push(messageId);
        }
      }
    }),
  );
  return outcome;
}

/** Sends an event that can never be recorded straight to the DLQ, with the reason (field names only). */
async function deadLetter(messageId: string, body: string, reason: string, outcome: BatchOutcome): Promise<boolean> {
  logger.warn("behaviour event rejected", { messageId, reason });
  try {
    await sendMessage(queueUrls().behaviorEventsDlq, body, { rejectedReason: reason, sourceMessageId: messageId });
    outcome.rejected++;
    return true;
  } catch (error) {
    logger.error("could not dead-letter a rejected event", { messageId, errorName: (error as Error).name });
    return false;
  }
}
