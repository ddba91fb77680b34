import { sendEmail } from "#lib/clients/ses";
import { publishSms } from "#lib/clients/sns";
import { config } from "#lib/config";
import { decryptField } from "#lib/crypto/fields";
import { claimMessage, type OutboxRecord, payloadContext, releaseMessage, settleMessage } from "#lib/data/outbox";
import { logger } from "#lib/logger";
import { render } from "#lib/notify/templates";

// The sender: delivers outbox items. Each is claimed first (so a redelivered stream record, or a
// second sender, sends nothing), sent through SES or SNS, then marked delivered with its payload
// erased. A provider failure puts it back for a retry of the stream record; a refusal that no
// retry can fix (an address SES rejects) settles it as FAILED. Sends are paced to the configured
// rate, which together with the function's reserved concurrency keeps a burst within SES quotas.

export interface OutboxRef {
  userId: string;
  messageId: string;
  /** The stream record's sequence number: what a failure is reported by. */
  sequenceNumber: string;
}

export interface SendOutcome {
  delivered: number;
  skipped: number;
  settled: number;
  /** Sequence numbers of records to retry. */
  failed: string[];
}

/** Refusals a retry cannot fix. */
const PERMANENT = new Set(["MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException", "InvalidParameter", "InvalidParameterValue"]);

/** Starts at most `perSecond` sends per second across the lanes of this invocation. */
function pacer(perSecond: number) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

async function send(message: OutboxRecord): Promise<void> {
  const { to, params } = JSON.parse(await decryptField(message.payloadEnc ?? "", payloadContext(message.userId, message.messageId))) as {
    to: string;
    params: Record<string, string>;
  };
  const { subject, text } = render(message.template, params);
  if (message.channel === "EMAIL") await sendEmail(to, subject, text);
  else await publishSms(to, text);
}

export async function deliverMessages(refs: OutboxRef[]): Promise<SendOutcome> {
  const { sendRatePerSecond, lanes, maxBackoffMs } = config().outbox;
  const outcome: SendOutcome = { delivered: 0, skipped: 0, settled: 0, failed: [] };
  const pace = pacer(sendRatePerSecond);
  let retries = 0;
  const deliverOne = async ({ userId, messageId, sequenceNumber }: OutboxRef) => {
    const message = await claimMessage(userId, messageId);
    if (!message) return void outcome.skipped++; // delivered already, or another sender holds it
    if (message.notAfter !== undefined && Date.now() > message.notAfter) {
      await settleMessage(userId, messageId, "EXPIRED");
      return void outcome.settled++;
    }
    try {
      await pace();
      await send(message);
    } catch (error) {
      const name = (error as Error).name;
      if (PERMANENT.has(name)) {
        logger.error("message refused for good", { messageId, template: message.template, channel: message.channel, errorName: name });
        await settleMessage(userId, messageId, "FAILED", name);
        return void outcome.settled++;
      }
      logger.warn("message not sent; it will be retried", { messageId, channel: message.channel, attempts: message.attempts, errorName: name });
      await releaseMessage(userId, messageId, name);
      retries = Math.max(retries, message.attempts);
      return void outcome.failed.push(sequenceNumber);
    }
    await settleMessage(userId, messageId, "DELIVERED");
    outcome.delivered++;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, refs.length) }, async () => {
      while (next < refs.length) await deliverOne(refs[next++] as OutboxRef);
    }),
  );
  // Back off before the stream retries the record (it would retry at once): 0.2 s, doubling, capped.
  if (outcome.failed.length > 0) await new Promise((r) => setTimeout(r, Math.min(maxBackoffMs, 200 * 2 ** Math.max(0, retries - 1))));
  return outcome;
}
