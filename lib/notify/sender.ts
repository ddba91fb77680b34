import { randomUUID } from "node:crypto";
import { sendEmail } from "#lib/clients/ses";
import { publishSms } from "#lib/clients/sns";
import { config } from "#lib/config";
import { decryptField } from "#lib/crypto/fields";
import {
  type ClaimResult,
  claimable,
  claimedBy,
  claimMessages,
  FINAL,
  outboxKey,
  payloadContext,
  readMessages,
  type Settlement,
  type StoredMessage,
  settleMessages,
} from "#lib/data/outbox";
import { logger } from "#lib/logger";
import { inLanes, pacer } from "#lib/notify/lanes";
import { render } from "#lib/notify/templates";

// The sender: delivers the outbox items of one stream batch with three DynamoDB round trips for
// the whole batch instead of two per message:
//   1. read every item (consistent BatchGetItem): one already DELIVERED, FAILED or EXPIRED, or
//      gone, is skipped without a write (a redelivered record sends nothing);
//   2. claim the rest (conditional PartiQL UPDATEs, one BatchExecuteStatement): of two senders
//      racing for a message only one gets it (Lambda never hands one shard's records to two
//      invocations at once, but a direct invoke, the local stream and a test can);
//   3. send in `lanes` parallel lanes at the configured rate, then write every outcome
//      (BatchWriteItem puts): DELIVERED / FAILED / EXPIRED with the payload erased, or back to
//      PENDING for a retry.
// Trade-off: outcomes are written once the whole batch has been tried, so a sender that dies after
// sending and before that write leaves its claims to lapse (60 s) and the retry sends those messages
// again: up to one batch (25) sent twice, where settling each message at once risked only the few
// in flight. Still at least once; duplicates need a crash at exactly that point.

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
/** Waits for a message another sender holds: it usually settles within one send. */
const HELD_WAITS_MS = [100, 200, 400, 800];
/** Waits before writing a batch's outcomes again. */
const SETTLE_WAITS_MS = [200, 1000];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(message: StoredMessage): Promise<void> {
  const { to, params } = JSON.parse(await decryptField(message.payloadEnc ?? "", payloadContext(message.userId, message.messageId))) as {
    to: string;
    params: Record<string, string>;
  };
  const { subject, text } = render(message.template, params);
  if (message.channel === "EMAIL") await sendEmail(to, subject, text);
  else await publishSms(to, text);
}

/** The outcomes must be written (the messages went out): a failed write is tried again before giving up. */
async function settle(settlements: Settlement[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await settleMessages(settlements);
    } catch (error) {
      if (attempt >= SETTLE_WAITS_MS.length) throw error;
      logger.warn("outcomes not written; trying again", { messages: settlements.length, errorName: (error as Error).name });
      await sleep(SETTLE_WAITS_MS[attempt] as number);
    }
  }
}

/** Claims the messages; when the call itself fails (a timeout), reads back which claims it took. */
async function claim(messages: StoredMessage[], token: string, now: number): Promise<ClaimResult[]> {
  if (messages.length === 0) return [];
  try {
    return await claimMessages(messages, token, now);
  } catch (error) {
    const errorName = (error as Error).name;
    logger.warn("claims unanswered; reading back which were taken", { messages: messages.length, errorName });
    const current = await readMessages(messages.map((m) => outboxKey(m.userId, m.messageId)));
    return messages.map((m, i) => {
      const item = current[i];
      return claimedBy(item, token, m) ? { claimed: item } : { error: errorName };
    });
  }
}

/** Waits until the messages held by another sender are settled; returns those still open. */
async function settledElsewhere(held: StoredMessage[]): Promise<StoredMessage[]> {
  let open = held;
  for (const ms of HELD_WAITS_MS) {
    if (open.length === 0) break;
    await sleep(ms);
    const now = Date.now();
    const current = (await readMessages(open.map((m) => outboxKey(m.userId, m.messageId)))).filter((m): m is StoredMessage => !!m && !FINAL.has(m.status));
    open = current;
    if (current.some((m) => claimable(m, now))) break; // released or lapsed: the retry claims it
  }
  return open;
}

/** Sends the claimed messages (a lapsed code is not sent) in lanes at the rate: what became of each. */
async function sendAll(messages: StoredMessage[], lanes: number, perSecond: number): Promise<Settlement[]> {
  const settlements: Settlement[] = [];
  const pace = pacer(perSecond);
  await inLanes(messages, lanes, async (message) => {
    const { messageId, channel, template, attempts } = message;
    if (message.notAfter !== undefined && Date.now() > message.notAfter) return void settlements.push({ message, status: "EXPIRED" });
    try {
      await pace();
      await send(message);
      settlements.push({ message, status: "DELIVERED" });
    } catch (error) {
      const name = (error as Error).name;
      if (PERMANENT.has(name)) {
        logger.error("message refused for good", { messageId, template, channel, errorName: name });
        return void settlements.push({ message, status: "FAILED", reason: name });
      }
      logger.warn("message not sent; it will be retried", { messageId, channel, attempts, errorName: name });
      settlements.push({ message, status: "PENDING", reason: name });
    }
  });
  return settlements;
}

export async function deliverMessages(refs: OutboxRef[]): Promise<SendOutcome> {
  const { sendRatePerSecond, lanes, maxBackoffMs } = config().outbox;
  const outcome: SendOutcome = { delivered: 0, skipped: 0, settled: 0, failed: [] };
  // One entry per message (a batch may name one twice), with every record that named it.
  const records = new Map<string, { ref: OutboxRef; sequenceNumbers: string[] }>();
  for (const ref of refs) {
    const id = `${ref.userId}\u0000${ref.messageId}`;
    const entry = records.get(id) ?? (records.set(id, { ref, sequenceNumbers: [] }), records.get(id));
    entry?.sequenceNumbers.push(ref.sequenceNumber);
  }
  if (records.size === 0) return outcome;
  const entries = [...records.values()];
  const sequencesOf = (m: StoredMessage) => records.get(`${m.userId}\u0000${m.messageId}`)?.sequenceNumbers ?? [];
  let retries = 0;
  const retry = (m: StoredMessage) => {
    retries = Math.max(retries, m.attempts);
    outcome.failed.push(...sequencesOf(m));
  };

  const now = Date.now();
  const held: StoredMessage[] = [];
  const toClaim: StoredMessage[] = [];
  const found = await readMessages(entries.map(({ ref }) => outboxKey(ref.userId, ref.messageId)));
  for (const m of found) {
    if (!m || FINAL.has(m.status)) outcome.skipped++;
    else if (claimable(m, now)) toClaim.push(m);
    else held.push(m);
  }

  const mine: StoredMessage[] = [];
  const claims = await claim(toClaim, randomUUID(), now);
  claims.forEach((c, i) => {
    const m = toClaim[i] as StoredMessage;
    if ("claimed" in c) mine.push(c.claimed);
    else if ("lost" in c) {
      if (c.current && !FINAL.has(c.current.status)) held.push(c.current);
      else outcome.skipped++; // settled or gone meanwhile
    } else {
      logger.warn("message not claimed; it will be retried", { messageId: m.messageId, errorName: c.error });
      retry(m);
    }
  });

  const settlements = await sendAll(mine, lanes, sendRatePerSecond);
  await settle(settlements);
  for (const { message, status } of settlements) {
    if (status === "DELIVERED") outcome.delivered++;
    else if (status === "PENDING") retry(message);
    else outcome.settled++;
  }

  // Held by another sender: wait a little for it to settle them; still open, they are retried
  // with the batch (a sender that died leaves claims that lapse, and the retry then takes them).
  const open = await settledElsewhere(held);
  outcome.skipped += held.length - open.length;
  if (open.length > 0) logger.warn("messages held by another sender; they will be retried", { messages: open.length });
  open.forEach(retry);

  // Back off before the stream retries the record (it would retry at once): 0.2 s, doubling, capped.
  if (outcome.failed.length > 0) await sleep(Math.min(maxBackoffMs, 200 * 2 ** Math.max(0, retries - 1)));
  return outcome;
}
