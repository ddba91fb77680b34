import { randomBytes, randomInt } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { measureParts, type OutboxParts } from "./outbox-parts";
import { cpuPerMessage, cpuSnapshot, summarise, summariseSends, type TimelineSummary, timelineTap } from "./outbox-profile";
import { percentile, round } from "./stats";
import type { ConsumerStats, OutboxStreamConsumer } from "./stream";
import type { TapListener, Taps } from "./taps";

// Outbox throughput on the local stack: N real outbox items (lib/notify/outbox.ts outboxItem, for
// synthetic recipients whose address is encrypted with the stack's keys) are written, then the
// table stream is consumed from where they start, through the real send-messages handler in
// batches, until every item is DELIVERED. Compared with N plain SES SendEmail calls (sendEmail of
// lib/clients/ses.ts) at the same concurrency, in alternating rounds: target outbox ≥ 80 % of plain.
// Then the sender's parts alone (outbox-parts.ts) for the breakdown, and a trickle of single
// messages while the consumer polls for the delivery latency (write → DELIVERED).

export interface OutboxSettings {
  messages: number;
  /** Untimed messages first, through both paths (JIT, connections). */
  warmup: number;
  batchSize: number;
  batchesInFlight: number;
  /** OUTBOX_LANES and OUTBOX_SEND_RATE as set for the run. */
  lanes: number;
  sendRatePerSecond: number;
  /** Single messages written one by one for the latency. */
  trickle: number;
  trickleIntervalMs: number;
  /** Alternating rounds of plain SES and outbox; the round with the median ratio is reported. */
  rounds: number;
  idlePollMs: number;
}

export interface OutboxResult {
  settings: OutboxSettings;
  /** Concurrency of both sides: batches in flight × messages sent at once per batch. */
  concurrency: number;
  outboxMessagesPerSecond: number;
  sesSendsPerSecond: number;
  ratio: number;
  target: number;
  rounds: { sesSendsPerSecond: number; outboxMessagesPerSecond: number }[];
  seedItemsPerSecond: number;
  latency: { messages: number; p50Ms: number; p90Ms: number; maxMs: number };
  stream: ConsumerStats;
  profile: {
    outbox: TimelineSummary;
    ses: ReturnType<typeof summariseSends>;
    cpuMsPerMessage: { outbox: Record<string, number>; ses: Record<string, number> };
    parts: OutboxParts;
  };
}

export const OUTBOX_TARGET = 0.8;

interface Recipient {
  userId: string;
  address: string;
  emailEnc: string;
}

export async function benchOutbox(
  consumer: OutboxStreamConsumer,
  taps: Taps,
  mailUrl: string,
  pids: () => Record<string, number | null | undefined>,
  settings: OutboxSettings,
  log: (line: string) => void,
): Promise<OutboxResult> {
  const { dynamodb, tableName } = await import("#lib/clients/dynamodb");
  const { encryptField } = await import("#lib/crypto/fields");
  const { batchGet, batchWrite } = await import("#lib/data/batch");
  const { outboxKey } = await import("#lib/data/outbox");
  const { outboxItem } = await import("#lib/notify/outbox");
  const { render } = await import("#lib/notify/templates");
  const { sendEmail } = await import("#lib/clients/ses");
  const { forEachLimited } = await import("#lib/credit/recompute");
  const run = randomBytes(3).toString("hex");
  const concurrency = settings.batchesInFlight * Math.min(settings.lanes, settings.batchSize);

  const recipients = (n: number, tag: string) =>
    Promise.all(
      Array.from({ length: n }, async (_, i): Promise<Recipient> => {
        const userId = `bench-outbox-${run}-${tag}-${i}`;
        const address = `outbox-${run}-${tag}-${i}@example.com`;
        return { userId, address, emailEnc: await encryptField(address, `${userId}:email`) };
      }),
    );
  const itemsFor = (list: Recipient[]) => Promise.all(list.map((r) => outboxItem(r, "EMAIL", "VERIFICATION_CODE", { code: String(randomInt(100_000, 1_000_000)) })));
  const clearMail = async () => void (await (await fetch(`${mailUrl}/clear-store`, { method: "POST" })).arrayBuffer());
  const mailCount = async () => ((await (await fetch(`${mailUrl}/store`)).json()) as { emails: unknown[] }).emails.length;

  /** Reads the items back: every one must be DELIVERED. */
  const assertDelivered = async (items: { userId: string; messageId: string }[], what: string) => {
    const found = await batchGet(items.map((i) => outboxKey(i.userId, i.messageId)), { consistent: true });
    const bad = found.filter((item) => item?.status !== "DELIVERED");
    if (bad.length) throw new Error(`${what}: ${bad.length} of ${items.length} outbox items not DELIVERED (e.g. ${JSON.stringify(bad[0] ?? null)})`);
    return found as Record<string, unknown>[];
  };

  /** Runs `work` for n messages with the tap listening: wall ms and CPU ms per message per process. */
  const measured = async (n: number, tap: TapListener, work: () => Promise<unknown>) => {
    const unlisten = taps.listen(tap);
    const before = cpuSnapshot(pids());
    const started = performance.now();
    try {
      await work();
    } finally {
      unlisten();
    }
    const ms = performance.now() - started;
    return { ms, cpu: cpuPerMessage(before, cpuSnapshot(pids()), n) };
  };

  const subject = render("VERIFICATION_CODE", { code: "123456" });
  const plainSends = (list: Recipient[]) => forEachLimited(list, concurrency, (r) => sendEmail(r.address, subject.subject, subject.text));
  const sesRound = async (n: number, tag: string) => {
    const list = await recipients(n, tag);
    const tap = timelineTap(() => undefined);
    await clearMail();
    const m = await measured(n, tap.listener, () => plainSends(list));
    if ((await mailCount()) !== n) throw new Error("plain SES: the mail store does not hold every mail sent");
    return { ...m, perSecond: Math.round((n / m.ms) * 1000), profile: summariseSends(tap.lines.values(), m.ms) };
  };
  /** Writes n outbox items, then consumes the stream from their start until all are handled (timed). */
  const outboxRound = async (n: number, tag: string) => {
    const list = await recipients(n, tag);
    const items = await itemsFor(list);
    // The timeline keys the batch calls by message id and SES calls by address (unique per message).
    const idOf = new Map(list.map((r, i) => [r.address, items[i]?.messageId ?? ""]));
    const tap = timelineTap((address) => idOf.get(address));
    await clearMail();
    await consumer.seekLatest();
    const seedStarted = performance.now();
    await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const target = consumer.handled + n;
    const statsBefore = { ...consumer.stats };
    const m = await measured(n, tap.listener, () => consumer.drain({ until: () => consumer.handled >= target }));
    await assertDelivered(items, "outbox burst");
    if ((await mailCount()) !== n) throw new Error("outbox: the mail store does not hold every message delivered");
    const stream = diffStats(statsBefore, consumer.stats);
    return { ...m, perSecond: Math.round((n / m.ms) * 1000), seedSeconds, stream, profile: summarise(tap.lines.values(), m.ms) };
  };

  log(`outbox: warm-up, ${settings.warmup} messages through each path`);
  await outboxRound(settings.warmup, "w");
  await sesRound(settings.warmup, "v");

  // Alternating rounds: plain SES, then the outbox, `rounds` times.
  const n = settings.messages;
  const ses: Awaited<ReturnType<typeof sesRound>>[] = [];
  const outbox: Awaited<ReturnType<typeof outboxRound>>[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    log(`outbox: round ${round}/${settings.rounds}: ${n} plain SES SendEmail at concurrency ${concurrency}, then ${n} outbox messages, stream → send-messages`);
    ses.push(await sesRound(n, `s${round}`));
    outbox.push(await outboxRound(n, `m${round}`));
  }
  // The round whose ratio is the median stands for the run: its two sides ran back to back, under
  // the same load, which on a shared machine says more than the best of each side.
  const ratios = ses.map((r, i) => (outbox[i]?.perSecond ?? 0) / r.perSecond);
  const mid = ratios.indexOf([...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)] as number);
  const medianSes = ses[mid] as (typeof ses)[number];
  const medianOutbox = outbox[mid] as (typeof outbox)[number];

  log(`outbox: the sender's parts alone (read, claim, settle, stream read, decrypt + render), ${n} messages`);
  const parts = await measureParts(await itemsFor(await recipients(n, "p")), settings, consumer, pids);

  log(`outbox: delivery latency, ${settings.trickle} single messages ${settings.trickleIntervalMs} ms apart`);
  const latency = await trickle(await recipients(settings.trickle, "t"));

  return {
    settings,
    concurrency,
    outboxMessagesPerSecond: medianOutbox.perSecond,
    sesSendsPerSecond: medianSes.perSecond,
    ratio: round(ratios[mid] ?? 0, 3),
    target: OUTBOX_TARGET,
    rounds: ses.map((s, i) => ({ sesSendsPerSecond: s.perSecond, outboxMessagesPerSecond: outbox[i]?.perSecond ?? 0 })),
    seedItemsPerSecond: Math.round(n / medianOutbox.seedSeconds),
    latency,
    stream: medianOutbox.stream,
    profile: { outbox: medianOutbox.profile, ses: medianSes.profile, cpuMsPerMessage: { outbox: medianOutbox.cpu, ses: medianSes.cpu }, parts },
  };

  /** Writes messages one at a time while the consumer polls; latency = write answered → deliveredAt. */
  async function trickle(list: Recipient[]) {
    const items = await itemsFor(list);
    await consumer.seekLatest();
    const target = consumer.handled + items.length;
    const draining = consumer.drain({ until: () => consumer.handled >= target, timeoutMs: 60_000 });
    draining.catch(() => undefined);
    const writtenAt = new Map<string, number>();
    for (const Item of items) {
      await dynamodb.send(new PutCommand({ TableName: tableName(), Item, ConditionExpression: "attribute_not_exists(PK)" }));
      writtenAt.set(Item.messageId, Date.now());
      await new Promise((r) => setTimeout(r, settings.trickleIntervalMs));
    }
    await draining;
    const stored = await assertDelivered(items, "outbox trickle");
    const ms = stored.map((item) => Date.parse(String(item.deliveredAt)) - (writtenAt.get(String(item.messageId)) ?? Number.NaN));
    return { messages: ms.length, p50Ms: round(percentile(ms, 50)), p90Ms: round(percentile(ms, 90)), maxMs: round(Math.max(...ms)) };
  }
}

function diffStats(before: ConsumerStats, after: ConsumerStats): ConsumerStats {
  const out = { ...after };
  for (const key of Object.keys(out) as (keyof ConsumerStats)[]) out[key] = round(after[key] - before[key], 1);
  return out;
}
