import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { ENTITY, nightlyLeaseKey, runTtl } from "#lib/data/job-run";

// The nightly job's lease: a conditional item with an expiry that the running job renews. A second
// run finds it held and refuses at once; a run that died stops renewing, its lease expires, and
// the next run takes over the same run (same id and asOf), so its unfinished work is finished
// under the same keys (a user's history item is keyed by the run's asOf) and nothing is done twice.

/** How long a lease lasts unless renewed (renewed every third of it): how soon a dead run is taken over. */
export const leaseSeconds = () => config().nightlyLeaseSeconds;

export interface Lease {
  runId: string;
  /** The instant the run's work is for (credit scores, expiries): the same after a takeover. */
  asOf: string;
  startedAt: string;
  /** Unique per process: who renews. */
  holder: string;
  /** True when this run continues one whose holder died. */
  takenOver: boolean;
}

export class LeaseHeld extends Error {
  constructor(
    readonly runId: string,
    readonly startedAt: string,
    readonly until: number,
  ) {
    super(`nightly run ${runId} (started ${startedAt}) holds the lease until ${new Date(until).toISOString()}`);
    this.name = "LeaseHeld";
  }
}

export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`the lease of nightly run ${runId} was taken over: this process stops`);
    this.name = "LeaseLost";
  }
}

interface LeaseItem {
  runId: string;
  asOf: string;
  startedAt: string;
  holder: string;
  expiresAt: number;
  status: "RUNNING" | "DONE";
}

const names = { "#status": "status" };

/**
 * Takes the lease: a new run (its work is for `asOf`, normally now), or the run of a holder that
 * died (its own asOf). Throws LeaseHeld while another holds it.
 */
export async function acquireLease(now = Date.now(), asOf = new Date(now).toISOString()): Promise<Lease> {
  const holder = randomUUID();
  const expiresAt = now + leaseSeconds() * 1000;
  const current = (await dynamodb.send(new GetCommand({ TableName: tableName(), Key: nightlyLeaseKey(), ConsistentRead: true }))).Item as LeaseItem | undefined;
  try {
    if (current?.status === "RUNNING") {
      if (current.expiresAt > now) throw new LeaseHeld(current.runId, current.startedAt, current.expiresAt);
      await dynamodb.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: nightlyLeaseKey(),
          UpdateExpression: "SET holder = :me, expiresAt = :exp, takenOverAt = :now",
          ConditionExpression: "holder = :dead AND expiresAt = :deadExp AND #status = :running",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ":me": holder, ":exp": expiresAt, ":now": new Date(now).toISOString(), ":dead": current.holder, ":deadExp": current.expiresAt, ":running": "RUNNING" },
        }),
      );
      return { runId: current.runId, asOf: current.asOf, startedAt: current.startedAt, holder, takenOver: true };
    }
    const lease = { runId: randomUUID(), asOf, startedAt: new Date(now).toISOString(), holder };
    await dynamodb.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...nightlyLeaseKey(), entity: ENTITY.lease, ...lease, expiresAt, status: "RUNNING", ttl: runTtl() },
        ConditionExpression: "attribute_not_exists(PK) OR #status = :done",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":done": "DONE" },
      }),
    );
    return { ...lease, takenOver: false };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // Another run took it between our read and our write.
    const winner = (await dynamodb.send(new GetCommand({ TableName: tableName(), Key: nightlyLeaseKey(), ConsistentRead: true }))).Item as LeaseItem | undefined;
    throw new LeaseHeld(winner?.runId ?? "unknown", winner?.startedAt ?? "unknown", winner?.expiresAt ?? now);
  }
}

/** Extends the lease; LeaseLost when another process took it over (this one was too slow to renew). */
export async function renewLease(lease: Lease, now = Date.now()): Promise<void> {
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: nightlyLeaseKey(),
        UpdateExpression: "SET expiresAt = :exp",
        ConditionExpression: "holder = :me AND #status = :running",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":exp": now + leaseSeconds() * 1000, ":me": lease.holder, ":running": "RUNNING" },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new LeaseLost(lease.runId);
    throw error;
  }
}

/** The run is over (finished, or failed in a step that a later run need not finish): the next run starts anew. */
export async function releaseLease(lease: Lease): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: nightlyLeaseKey(),
      UpdateExpression: "SET #status = :done, expiresAt = :now, finishedAt = :iso",
      ConditionExpression: "holder = :me",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":done": "DONE", ":now": Date.now(), ":iso": new Date().toISOString(), ":me": lease.holder },
    }),
  );
}
