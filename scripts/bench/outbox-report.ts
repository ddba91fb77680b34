import type { OutboxResult } from "./outbox";
import type { PartCost } from "./outbox-parts";
import type { StageStats } from "./outbox-profile";

// The outbox section of the printed report: the headline, the latency, each message's timeline,
// and where the CPU goes (on 2 shared cores the emulators and this process compete for it, so CPU
// per message is what bounds the rates).

const ms = (s: StageStats) => `${s.meanMs.toFixed(2)}/${s.p50Ms.toFixed(2)}`;
const PARTS = ["bench", "dynamodb", "ses"] as const;

function cpuRow(label: string, cpu: Record<string, number>, rate: string): string {
  const cells = PARTS.map((p) => (cpu[p] === undefined ? "-" : (cpu[p] as number).toFixed(2)).padStart(9));
  const sum = Object.values(cpu).reduce((a, b) => a + b, 0);
  return `    ${label.padEnd(34)}${cells.join("")}${sum.toFixed(2).padStart(9)}  ${rate}`;
}

export function formatOutbox(r: OutboxResult): string[] {
  const s = r.settings;
  const p = r.profile;
  const o = p.outbox;
  const part = (label: string, c: PartCost, unit = "/s") => cpuRow(label, c.cpuMsPerMessage, `${c.perSecond}${unit}`);
  const parts = p.parts;
  // SES send + read + claim + settle + stream read + decrypt/render: what the outbox would cost if
  // the handler and the consumer added nothing.
  const sumOfParts = [parts.read, parts.claim, parts.settle, parts.streamRead, parts.decryptRender].reduce<Record<string, number>>((sum, c) => {
    for (const [k, v] of Object.entries(c.cpuMsPerMessage)) sum[k] = (sum[k] ?? 0) + v;
    return sum;
  }, { ...p.cpuMsPerMessage.ses });
  const rounds = r.rounds
    .map((x) => `${x.sesSendsPerSecond}/${x.outboxMessagesPerSecond} = ${((x.outboxMessagesPerSecond / x.sesSendsPerSecond) * 100).toFixed(0)} %`)
    .join(", ");
  return [
    `Outbox throughput (${s.messages} messages; stream → send-messages in batches of ${s.batchSize}, ${s.batchesInFlight} batches in flight, ` +
      `OUTBOX_LANES=${s.lanes}, OUTBOX_SEND_RATE=${s.sendRatePerSecond}/s per instance; concurrency ${r.concurrency} on both sides):`,
    `  outbox     ${String(r.outboxMessagesPerSecond).padStart(6)} messages/s  (stream start → every item DELIVERED; ${r.stream.invocations} invocations, ${r.stream.retries} retries, ` +
      `${r.stream.getRecordsCalls} GetRecords reading ${r.stream.records} records in ${(r.stream.getRecordsMs / 1000).toFixed(2)} s)`,
    `  plain SES  ${String(r.sesSendsPerSecond).padStart(6)} sends/s     (sendEmail of lib/clients/ses.ts)`,
    `  ratio      ${(r.ratio * 100).toFixed(0)} % (target ≥ ${r.target * 100} %)  ${r.ratio >= r.target ? "PASS" : "MISSED"}   ` +
      `(median of ${r.rounds.length} rounds, each plain then outbox; per round, plain/outbox: ${rounds})`,
    `  delivery latency (${r.latency.messages} single messages, write answered → deliveredAt; stream polled every ${s.idlePollMs} ms when idle): ` +
      `p50 ${r.latency.p50Ms} ms, p90 ${r.latency.p90Ms} ms, max ${r.latency.maxMs} ms`,
    `  one message's wall time, mean/p50 ms (${o.messages} timelines): read BatchGetItem ${ms(o.read)}, claim BatchExecuteStatement ${ms(o.claim)}, ` +
      `claim→SES ${ms(o.beforeSend)}, SES ${ms(o.send)}, SES→settle ${ms(o.beforeSettle)}, settle BatchWriteItem ${ms(o.settle)}; total ${ms(o.total)}; ` +
      `${o.meanInFlight} messages and ${o.sesInFlight} SES calls in flight on average`,
    `  plain SES wall time, mean/p50 ms: ${ms(p.ses.send)}; ${p.ses.meanInFlight} in flight on average`,
    `  CPU ms per message (bench = this process: SDK, fetch, signing, handler, stream reader; parts alone in batches of ${s.batchSize}, ${s.batchesInFlight} in flight):`,
    `    ${"".padEnd(34)}${PARTS.map((k) => k.padStart(9)).join("")}${"sum".padStart(9)}  rate`,
    cpuRow("plain SES send", p.cpuMsPerMessage.ses, `${r.sesSendsPerSecond}/s`),
    part("read BatchGetItem alone", parts.read),
    part("claim BatchExecuteStatement alone", parts.claim),
    part("settle BatchWriteItem alone", parts.settle),
    part(`stream read (${(parts.streamRead.records / s.messages).toFixed(0)} records/message)`, parts.streamRead, " messages/s"),
    part("decrypt + render", parts.decryptRender),
    cpuRow("outbox, measured", p.cpuMsPerMessage.outbox, `${r.outboxMessagesPerSecond}/s`),
    cpuRow("sum of the parts above", sumOfParts, "(the outbox if handler and consumer added nothing)"),
  ];
}
