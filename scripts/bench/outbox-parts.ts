import { cpuPerMessage, cpuSnapshot } from "./outbox-profile";
import { round } from "./stats";
import type { OutboxStreamConsumer } from "./stream";

// The sender's parts alone, at the burst's concurrency, for the breakdown: the claim UpdateItem
// (claimMessage of lib/data/outbox.ts) and the settle UpdateItem (settleMessage) on fresh outbox
// items, reading the stream records they produced (one INSERT and two MODIFY per message), and
// decrypt + render of a payload (in-process only). Each with its rate and the CPU it costs per
// message in this process ("bench": SDK, fetch, signing, our code) and in each emulator.

export interface PartCost {
  perSecond: number;
  cpuMsPerMessage: Record<string, number>;
}

export interface OutboxParts {
  claim: PartCost;
  settle: PartCost;
  /** The stream records of claim + settle + the items' INSERTs, read without delivering. */
  streamRead: PartCost & { records: number };
  decryptRender: PartCost;
}

type Item = { userId: string; messageId: string; payloadEnc?: string; template: string };

export async function measureParts(
  items: Item[],
  concurrency: number,
  consumer: OutboxStreamConsumer,
  pids: () => Record<string, number | null | undefined>,
): Promise<OutboxParts> {
  const { batchWrite } = await import("#lib/data/batch");
  const { claimMessage, payloadContext, settleMessage } = await import("#lib/data/outbox");
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

  await consumer.seekLatest();
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  const claim = await timed(() =>
    forEachLimited(items, concurrency, async (m) => {
      if (!(await claimMessage(m.userId, m.messageId))) throw new Error(`outbox parts: ${m.messageId} could not be claimed`);
    }),
  );
  const settle = await timed(() => forEachLimited(items, concurrency, (m) => settleMessage(m.userId, m.messageId, "DELIVERED")));
  let records = 0;
  const streamRead = await timed(async () => (records = await consumer.skim()));
  const decryptRender = await timed(async () => {
    for (const m of items) {
      const { params } = JSON.parse(await decryptField(m.payloadEnc ?? "", payloadContext(m.userId, m.messageId))) as { params: Record<string, string> };
      render(m.template, params);
    }
  });
  return { claim, settle, streamRead: { ...streamRead, records }, decryptRender: { ...decryptRender, cpuMsPerMessage: { bench: round(decryptRender.cpuMsPerMessage.bench ?? 0, 4) } } };
}
