import { AppError } from "#lib/errors";
import { logger } from "#lib/logger";
import { openIncident, Rejected, requestResolve, retryIncident } from "#lib/incidents/admission";
import { runIncident, type RunOutcome } from "#lib/incidents/engine";
import { type IncidentMessage, parseIncidentMessage } from "#lib/incidents/message";
import { continuation, deadLetter, enqueue } from "#lib/incidents/queue";

// The incidents queue consumer. Each message is admitted (an incident opened, a resolve or retry
// recorded) and its incident run until it is done, hands over (out of time, waiting, or a step to
// retry after a backoff: a delayed CONTINUE message) or fails for good. A message that can never
// be carried out (malformed, an id used by another incident, a resolve of an unknown incident) is
// dead-lettered at once with the reason and acknowledged, so it never blocks valid ones; only
// transient failures (DynamoDB, SQS) are reported back as batch item failures, to be retried and,
// after maxReceiveCount, dead-lettered by the queue's redrive policy.

export interface QueuedMessage {
  messageId: string;
  body: string;
}

export interface BatchOutcome {
  /** Messages to hand back to the queue. */
  failedMessageIds: string[];
  outcomes: Record<RunOutcome["kind"] | "rejected", number>;
}

export interface ConsumeOptions {
  /** Epoch ms by which every incident of the batch must have handed over. */
  deadline: number;
  run?: typeof runIncident;
}

async function admit(message: IncidentMessage): Promise<void> {
  if (message.action === "OPEN") await openIncident(message);
  else if (message.action === "RESOLVE") await requestResolve(message.incidentId, message.summary ?? "", message.requestedBy);
  else if (message.action === "RETRY") await retryIncident(message.incidentId, message.requestedBy);
}

export async function consumeIncidentMessages(messages: QueuedMessage[], options: ConsumeOptions): Promise<BatchOutcome> {
  const run = options.run ?? runIncident;
  const outcome: BatchOutcome = { failedMessageIds: [], outcomes: { busy: 0, settled: 0, done: 0, continue: 0, retry: 0, failed: 0, rejected: 0 } };

  const reject = async (messageId: string, body: string, reason: string) => {
    logger.warn("incident message rejected", { messageId, reason });
    try {
      await deadLetter(body, reason, messageId);
      outcome.outcomes.rejected++;
    } catch (error) {
      logger.error("could not dead-letter a rejected incident message", { messageId, errorName: (error as Error).name });
      outcome.failedMessageIds.push(messageId);
    }
  };

  await Promise.all(
    messages.map(async ({ messageId, body }) => {
      const parsed = parseIncidentMessage(body);
      if (!parsed.ok) return reject(messageId, body, parsed.reason);
      const { incidentId, requestedBy } = parsed.message;
      try {
        await admit(parsed.message);
        const result = await run(incidentId, { deadline: options.deadline });
        if (result.kind === "continue" || result.kind === "retry") await enqueue(continuation(incidentId, requestedBy), result.delaySeconds);
        outcome.outcomes[result.kind]++;
        logger.info("incident message handled", { messageId, incidentId, action: parsed.message.action, outcome: result.kind });
      } catch (error) {
        if (error instanceof Rejected) return reject(messageId, body, error.message);
        if (error instanceof AppError && error.status < 500) return reject(messageId, body, `${error.code}: ${error.detail ?? error.title}`);
        logger.error("incident message not handled; it will be retried", { messageId, incidentId, errorName: (error as Error).name });
        outcome.failedMessageIds.push(messageId);
      }
    }),
  );
  return outcome;
}
