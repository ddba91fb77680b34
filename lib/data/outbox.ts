import { tableName } from "#lib/clients/dynamodb";
import { batchGet, batchWrite, type Key } from "#lib/data/batch";
import { ttlAfter, userPk } from "#lib/data/keys";
import { writeStatements } from "#lib/data/statements";

// The transactional outbox: one item per message a user is to receive, written in the same
// transaction as the state change that causes it. Template parameters and the destination are
// encrypted (payloadEnc); the sender (functions/send-messages, fed by the table's stream) reads a
// stream batch's items at once, claims the sendable ones in one round trip, sends, and writes every
// outcome in one more (25 items per call), erasing the payload of each settled message.

export const ENTITY = "OUTBOX";
export const OUTBOX_TTL_SECONDS = 3 * 24 * 3600;
/** How long a sender may hold a claim before another delivery of the record may take over. */
export const CLAIM_SECONDS = 60;

/** REDRIVEN: put again under a new id after an outage (lib/notify/redrive.ts); never sent itself. */
export type OutboxStatus = "PENDING" | "SENDING" | "DELIVERED" | "FAILED" | "EXPIRED" | "REDRIVEN";
export type FinalStatus = "DELIVERED" | "FAILED" | "EXPIRED";
export const FINAL: ReadonlySet<OutboxStatus> = new Set<OutboxStatus>(["DELIVERED", "FAILED", "EXPIRED", "REDRIVEN"]);

export interface OutboxRecord {
  messageId: string;
  userId: string;
  channel: "EMAIL" | "SMS";
  template: string;
  /** AES-GCM of `{ to, params }`, bound to the user and message; removed once delivered. */
  payloadEnc?: string;
  status: OutboxStatus;
  createdAt: string;
  /** Epoch ms after which the message is pointless (a code that has expired): it is then not sent. */
  notAfter?: number;
  attempts: number;
  /** Epoch ms until which the sender that set it holds the message (status SENDING). */
  claimedUntil?: number;
  /** The claiming invocation's token: a claim that answered late (a timeout, a retried request) is still known as its own. */
  claimedBy?: string;
  deliveredAt?: string;
  settledAt?: string;
  lastError?: string;
  /** Set when the message was put again under this id (status REDRIVEN). */
  redrivenAs?: string;
}

/** The item as stored: the record with its keys, entity tag and ttl. */
export type StoredMessage = OutboxRecord & Key & { entity: string; ttl: number };

export const outboxKey = (userId: string, messageId: string) => ({ PK: userPk(userId), SK: `OUTBOX#${messageId}` });
export const payloadContext = (userId: string, messageId: string) => `${userId}:outbox:${messageId}`;

export const toOutboxItem = (record: OutboxRecord) => ({
  ...outboxKey(record.userId, record.messageId),
  entity: ENTITY,
  ...record,
  ttl: ttlAfter(OUTBOX_TTL_SECONDS, Date.parse(record.createdAt)),
});

/** The messages as they are now (consistent reads, 100 per call), in the order of the keys. */
export async function readMessages(keys: Key[]): Promise<(StoredMessage | undefined)[]> {
  return (await batchGet(keys, { consistent: true })) as (StoredMessage | undefined)[];
}

/** PENDING, or SENDING under a claim that has lapsed (its sender died): a sender may take it. */
export const claimable = (m: StoredMessage, now: number) => m.status === "PENDING" || (m.status === "SENDING" && (m.claimedUntil ?? 0) < now);

export type ClaimResult =
  | { claimed: StoredMessage }
  /** Another sender changed it since it was read; `current` is the item now (absent when deleted). */
  | { lost: true; current?: StoredMessage }
  /** DynamoDB did not apply the claim (throttled throughout): not taken, try again later. */
  | { error: string };

/** Claimed by this token in the claim that followed `read` (the attempt after the one read). */
export const claimedBy = (m: StoredMessage | undefined, token: string, read: StoredMessage): m is StoredMessage =>
  m?.status === "SENDING" && m.claimedBy === token && m.attempts === read.attempts + 1;

/**
 * Takes the messages (as read, each claimable) for sending: one conditional PartiQL UPDATE each,
 * 25 per round trip. The condition is that the item is still as it was read (same attempts, still
 * claimable), so of two senders that read it only one gets it, whatever the order. `token` names
 * the claimant, so a statement the SDK sent again after a timeout finds its own claim, not a loss.
 */
export async function claimMessages(messages: StoredMessage[], token: string, now = Date.now()): Promise<ClaimResult[]> {
  const until = now + CLAIM_SECONDS * 1000;
  const results = await writeStatements(
    messages.map((m) => ({
      Statement:
        `UPDATE "${tableName()}" SET "status" = 'SENDING' SET claimedUntil = ? SET claimedBy = ? SET attempts = ? ` +
        `WHERE PK = ? AND SK = ? AND attempts = ? AND ("status" = 'PENDING' OR ("status" = 'SENDING' AND claimedUntil < ?))`,
      Parameters: [until, token, m.attempts + 1, m.PK, m.SK, m.attempts, now],
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    })),
  );
  return messages.map((m, i): ClaimResult => {
    const error = results[i]?.Error;
    const current = error?.Item as StoredMessage | undefined;
    if (!error) return { claimed: { ...m, status: "SENDING", claimedUntil: until, claimedBy: token, attempts: m.attempts + 1 } };
    if (error.Code !== "ConditionalCheckFailed") return { error: error.Code ?? "UnknownError" };
    return claimedBy(current, token, m) ? { claimed: current } : { lost: true, current };
  });
}

export type Settlement = { message: StoredMessage; status: FinalStatus; reason?: string } | { message: StoredMessage; status: "PENDING"; reason: string };

/**
 * Writes what became of claimed messages, 25 per BatchWriteItem (unprocessed ones retried; what is
 * left throws): a final status with the payload erased, or back to PENDING (payload kept) with the
 * error for a retry. Whole-item puts, unconditional: only the sender holding the claim writes them.
 */
export async function settleMessages(settlements: Settlement[], now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  await batchWrite(
    settlements.map(({ message, status, reason }) => {
      const { payloadEnc, claimedUntil: _until, claimedBy: _by, ...rest } = message;
      const error = reason ? { lastError: reason.slice(0, 100) } : {};
      const Item =
        status === "PENDING"
          ? { ...rest, payloadEnc, status, ...error }
          : { ...rest, status, settledAt: at, ...(status === "DELIVERED" ? { deliveredAt: at } : {}), ...error };
      return { PutRequest: { Item } };
    }),
  );
}
