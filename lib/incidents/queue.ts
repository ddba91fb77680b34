import { sendToQueue } from "#lib/clients/sqs-send";
import { config } from "#lib/config";
import type { ControlMessage } from "#lib/incidents/message";
import { MAX_DELAY_SECONDS } from "#lib/incidents/engine";

// The incidents queue from our side: an incident opened or resolved through the API is the same
// message `npm run incident` sends; the consumer hands an incident over to a later invocation with
// a CONTINUE message (delayed for a backoff or a wait); a message that can never be carried out goes
// to the dead-letter queue with the reason (field names and rules only).

const queueUrl = () => {
  const url = config().incidentsQueueUrl;
  if (!url) throw new Error("the incidents queue URL is not configured (INCIDENTS_QUEUE_URL)");
  return url;
};

/** Puts a message on the incidents queue, visible after `delaySeconds` (SQS: at most 15 minutes). */
export async function enqueue(message: Record<string, unknown>, delaySeconds = 0): Promise<void> {
  await sendToQueue(queueUrl(), message, { delaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.round(delaySeconds))) });
}

export const continuation = (incidentId: string, requestedBy: string): ControlMessage => ({ action: "CONTINUE", incidentId, requestedBy });

/** Sends a message no retry can fix straight to the DLQ, with why (no values: it may be logged and alarmed on). */
export const deadLetter = (body: string, reason: string, sourceMessageId: string) =>
  sendToQueue(config().incidentsDlqUrl, body, { attributes: { rejectedReason: reason.slice(0, 500), sourceMessageId } });
