import type { StoredMessage } from "#lib/data/outbox";
import { cpuPerMessage, cpuSnapshot } from "./outbox-profile";
import { round } from "./stats";
import type { OutboxStreamConsumer } from "./stream";

// The sender's parts alone, in the burst's batches and with as many batches in flight, for the
// breakdown: the read BatchGetItem (readMessages of lib/data/outbox.ts), the claim
// BatchExecuteStatement (claimMessages) and the settle BatchWriteItem (settleMessages) on fresh
// outbox items, reading the stream records they produced (one INSERT and two MODIFY per message),
// and decrypt + render of a payload (in-process only). Each with its rate and the CPU it costs per
// message in this process ("bench": SDK, fetch, signing, our code) and in each emulator.

export interface PartCost {
  perSecond: number;
  cpuMsPerMessage: Record<string, number>;
}

export interface OutboxParts {
  read: PartCost;
  claim: PartCost;
  settle: PartCost;
  /** The stream records of claim + settle + the items' INSERTs, read without delivering. */
  streamRead: PartCost & { records: number };
  decryptRender: PartCost;
}

type Item = { userId: string; messageId: string; payloadEnc?: string; template: string };

export async function measureParts(
  items: Item[],
  batching: { batchSize: number; batchesInFlight: number },
  consumer: OutboxStreamConsumer,
  pids: () => Record<string, number | null | undefined>,
): Promise<OutboxParts> {
  const { batchWrite } = await import("#lib/data/batch");
  const { claimMessages, outboxKey, payloadContext, readMessages, settleMessages } = await import("#lib/data/outbox");
  const { decryptField } = await import("#lib/crypto/fields");
  const { render } = await import("#lib/notify/templates");
  const { forEachLimited } = await import("#lib/credit/recompute");
  const n = items.length;

  const timed = async (run: () => Promise<unknown>): Promise<PartCost> => {
    const before = cpuSnapshot(pids());
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: Math.round(n / seconds), cpuMsPerMessage: cpuPerMessage(before, cpuSnapshot(pids()), n) };
  };

  const { batchSize, batchesInFlight } = batching;
  const batches = Array.from({ length: Math.ceil(n / batchSize) }, (_, i) => items.slice(i * batchSize, (i + 1) * batchSize));
  const read: StoredMessage[][] = [];
  const claimed: StoredMessage[][] = [];

  await consumer.seekLatest();
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  const readCost = await timed(() =>
    forEachLimited(batches, batchesInFlight, async (batch) => {
      const found = await readMessages(batch.map((m) => outboxKey(m.userId, m.messageId)));
      if (found.some((m) => m?.status !== "PENDING")) throw new Error("outbox parts: a fresh item was not read as PENDING");
      read.push(found as StoredMessage[]);
    }),
  );
  const claim = await timed(() =>
    forEachLimited(read, batchesInFlight, async (batch) => {
      const mine = (await claimMessages(batch, "bench-parts")).flatMap((r) => ("claimed" in r ? [r.claimed] : []));
      if (mine.length !== batch.length) throw new Error("outbox parts: a fresh item could not be claimed");
      claimed.push(mine);
    }),
  );
  const settle = await timed(() => forEachLimited(claimed, batchesInFlight, (batch) => settleMessages(batch.map((message) => ({ message, status: "DELIVERED" as const })))));
  let records = 0;
  const streamRead = await timed(async () => (records = await consumer.skim()));
  const decryptRender = await timed(async () => {
    for (const m of items) {
      const { params } = JSON.parse(await decryptField(m.payloadEnc ?? "", payloadContext(m.userId, m.messageId))) as { params: Record<string, string> };
      render(m.template, params);
    }
  });
  return { read: readCost, claim, settle, streamRead: { ...streamRead, records }, decryptRender: { ...decryptRender, cpuMsPerMessage: { bench: round(decryptRender.cpuMsPerMessage.bench ?? 0, 4) } } };
}
