import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { signerFor } from "#lib/clients/sigv4";
import { lambdaContext } from "./events";

// The table stream → send-messages, in-process, as Lambda's event source mapping does it on AWS
// (serverless.yml: startingPosition LATEST, filter INSERT of entity OUTBOX, batchSize): reads the
// stream of DynamoDB Local over its JSON API (DescribeTable → LatestStreamArn, DescribeStream →
// shards, GetShardIterator, GetRecords), drops what the filter would drop, cuts the rest into
// batches and invokes the real handler with up to `batchesInFlight` batches at once (standing for
// parallel shards / instances). A batch whose invocation throws is retried whole, as on AWS.

export type StreamLambda = (event: DynamoDBStreamEvent, context: Context) => Promise<void>;

export interface ConsumerOptions {
  batchSize: number;
  batchesInFlight: number;
  /** Pause after a read that found nothing new (Lambda polls a shard about 4× a second). */
  idlePollMs: number;
  /** Invocations of one batch before the bench gives up. */
  maxAttempts: number;
  functionName: string;
}

export interface ConsumerStats {
  getRecordsCalls: number;
  getRecordsMs: number;
  /** Records read, and those that passed the filter. */
  records: number;
  matched: number;
  invocations: number;
  retries: number;
  /** Sum of the invocations' durations (several run at once). */
  handlerMs: number;
}

interface Shard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { EndingSequenceNumber?: string };
}

/** What the event source filter of send-messages lets through. */
export const isOutboxInsert = (r: DynamoDBRecord) => r.eventName === "INSERT" && r.dynamodb?.NewImage?.entity?.S === "OUTBOX";

export const emptyStats = (): ConsumerStats => ({ getRecordsCalls: 0, getRecordsMs: 0, records: 0, matched: 0, invocations: 0, retries: 0, handlerMs: 0 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class OutboxStreamConsumer {
  stats = emptyStats();
  /** Messages (outbox INSERTs) whose batch has been handled without error. */
  handled = 0;
  /** Open iterators per shard id; a shard read to its end is in `finished`. */
  private iterators = new Map<string, string>();
  private finished = new Set<string>();
  private readonly signer = signerFor("dynamodb");

  private constructor(
    private readonly endpoint: URL,
    private readonly streamArn: string,
    private readonly handler: StreamLambda,
    private readonly options: ConsumerOptions,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** Finds the table's stream and starts at its tip (startingPosition LATEST). */
  static async open(endpoint: string, tableName: string, handler: StreamLambda, options: ConsumerOptions, fetchImpl: typeof fetch = fetch) {
    const url = new URL(endpoint.endsWith("/") ? endpoint : `${endpoint}/`);
    const probe = new OutboxStreamConsumer(url, "", handler, options, fetchImpl);
    const { Table } = await probe.call<{ Table?: { LatestStreamArn?: string } }>("DynamoDB_20120810.DescribeTable", { TableName: tableName });
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream: serverless.yml's StreamSpecification did not reach DynamoDB Local`);
    const consumer = new OutboxStreamConsumer(url, Table.LatestStreamArn, handler, options, fetchImpl);
    await consumer.seekLatest();
    return consumer;
  }

  /** Forgets everything unread: the next read starts with what is written from now on. */
  async seekLatest(): Promise<void> {
    this.iterators.clear();
    for (const shard of await this.shards()) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) this.finished.add(shard.ShardId);
      else this.iterators.set(shard.ShardId, await this.iterator(shard.ShardId, "LATEST"));
    }
  }

  /**
   * Reads and delivers until `until()` holds, or (without it) until a read finds nothing new and
   * every batch is handled. Throws when a batch keeps failing or the deadline passes.
   */
  async drain(options: { until?: () => boolean; timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
    const ready: DynamoDBRecord[][] = [];
    const running = new Set<Promise<void>>();
    let failure: Error | undefined;
    const done = () => options.until?.() ?? false;
    while (!done()) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`the outbox stream was not drained in time (${this.handled} messages handled)`);
      // Reads ahead at most a few batches per slot, as the poller does not buffer a whole backlog.
      const page = running.size + ready.length < this.options.batchesInFlight * 4 ? await this.readOnce() : undefined;
      const fresh = page?.matched ?? [];
      for (let i = 0; i < fresh.length; i += this.options.batchSize) ready.push(fresh.slice(i, i + this.options.batchSize));
      while (running.size < this.options.batchesInFlight && ready.length > 0) {
        const batch = ready.shift() as DynamoDBRecord[];
        const task = this.invoke(batch).then(
          () => void running.delete(task),
          (error: Error) => void (failure ??= error),
        );
        running.add(task);
      }
      // At the tip of every shard: nothing was written since the last read.
      const idle = page !== undefined && page.read === 0;
      if (idle && ready.length === 0 && running.size === 0 && !options.until) return;
      // Wait for a free slot or, at the tip of the stream, for the poll interval.
      if (page === undefined || running.size >= this.options.batchesInFlight) await Promise.race(running);
      else if (idle) await Promise.race([sleep(this.options.idlePollMs), ...running]);
    }
    await Promise.all(running);
    if (failure) throw failure;
  }

  /** Reads to the tip without delivering anything (to time the stream reads alone). */
  async skim(): Promise<number> {
    let total = 0;
    for (let page = await this.readOnce(); page.read > 0; page = await this.readOnce()) total += page.read;
    return total;
  }

  /** One GetRecords per open shard: how many records it read, and those that pass the filter. */
  private async readOnce(): Promise<{ read: number; matched: DynamoDBRecord[] }> {
    const out: DynamoDBRecord[] = [];
    let read = 0;
    for (const [shardId, iterator] of [...this.iterators]) {
      const started = performance.now();
      const page = await this.call<{ Records?: DynamoDBRecord[]; NextShardIterator?: string }>("DynamoDBStreams_20120810.GetRecords", {
        ShardIterator: iterator,
        Limit: 1000,
      });
      this.stats.getRecordsCalls++;
      this.stats.getRecordsMs += performance.now() - started;
      const records = page.Records ?? [];
      this.stats.records += records.length;
      read += records.length;
      for (const record of records) if (isOutboxInsert(record)) out.push({ ...record, eventSourceARN: this.streamArn });
      if (page.NextShardIterator) this.iterators.set(shardId, page.NextShardIterator);
      else await this.closeShard(shardId);
    }
    this.stats.matched += out.length;
    return { read, matched: out };
  }

  /** A shard read to its end: its children continue from their start. */
  private async closeShard(shardId: string): Promise<void> {
    this.iterators.delete(shardId);
    this.finished.add(shardId);
    for (const child of await this.shards()) {
      if (child.ParentShardId === shardId && !this.finished.has(child.ShardId) && !this.iterators.has(child.ShardId)) {
        this.iterators.set(child.ShardId, await this.iterator(child.ShardId, "TRIM_HORIZON"));
      }
    }
  }

  private async invoke(records: DynamoDBRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      this.stats.invocations++;
      try {
        await this.handler({ Records: records }, lambdaContext(this.options.functionName));
        this.handled += records.length;
        return;
      } catch (error) {
        if (attempt >= this.options.maxAttempts) {
          throw new Error(`send-messages failed ${attempt} times on a batch of ${records.length}: ${(error as Error).message}`);
        }
        this.stats.retries++;
      } finally {
        this.stats.handlerMs += performance.now() - started;
      }
    }
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription: d } = await this.call<{ StreamDescription?: { Shards?: Shard[]; LastEvaluatedShardId?: string } }>(
        "DynamoDBStreams_20120810.DescribeStream",
        { StreamArn: this.streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) },
      );
      shards.push(...(d?.Shards ?? []));
      start = d?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async iterator(shardId: string, type: "LATEST" | "TRIM_HORIZON"): Promise<string> {
    const out = await this.call<{ ShardIterator?: string }>("DynamoDBStreams_20120810.GetShardIterator", { StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type });
    if (!out.ShardIterator) throw new Error(`no ${type} iterator for shard ${shardId}`);
    return out.ShardIterator;
  }

  /** One signed call of the DynamoDB / DynamoDB Streams JSON protocol. */
  private async call<T>(target: string, input: unknown): Promise<T> {
    const url = this.endpoint;
    const body = JSON.stringify(input);
    const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": target, host: url.host };
    const request = { method: "POST", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: {}, headers, body };
    const { host: _host, ...signed } = (await this.signer.sign(request)).headers as Record<string, string>;
    const response = await this.fetchImpl(url, { method: "POST", headers: signed, body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${target.split(".")[1]} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}
