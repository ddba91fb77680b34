import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// Counts what the handlers ask of DynamoDB: every command sent through the shared client gets
// ReturnConsumedCapacity TOTAL, and its calls, HTTP attempts and capacity units are summed here.

export interface DynamoTally {
  /** send() calls, i.e. round trips as the code sees them. */
  calls: number;
  /** HTTP attempts (more than calls means the SDK retried). */
  attempts: number;
  failures: number;
  rcu: number;
  wcu: number;
  /** Calls per command name, e.g. { BatchGetItemCommand: 200 }. */
  byCommand: Record<string, number>;
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const READ_COMMANDS = /^(GetItem|BatchGetItem|Query|Scan|TransactGetItems|ExecuteStatement|BatchExecuteStatement)Command$/;

export function emptyTally(): DynamoTally {
  return { calls: 0, attempts: 0, failures: 0, rcu: 0, wcu: 0, byCommand: {} };
}

/** Installs the meter once; read and reset its tally around each measured phase. */
export function installMeter(client: DynamoDBDocumentClient) {
  let tally = emptyTally();
  let paused = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (paused) return next(args);
      const command = context.commandName ?? "UnknownCommand";
      tally.calls++;
      tally.byCommand[command] = (tally.byCommand[command] ?? 0) + 1;
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
      try {
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: Capacity | Capacity[]; $metadata?: { attempts?: number } };
        tally.attempts += output.$metadata?.attempts ?? 1;
        addCapacity(tally, command, output.ConsumedCapacity);
        return result;
      } catch (error) {
        tally.failures++;
        tally.attempts += (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        throw error;
      }
    },
    { step: "initialize", name: "benchDynamoMeter" },
  );
  return {
    reset: () => {
      tally = emptyTally();
    },
    read: (): DynamoTally => ({ ...tally, byCommand: { ...tally.byCommand } }),
    /** Off for the throughput scenarios: they run the code as deployed, without ReturnConsumedCapacity. */
    pause: () => {
      paused = true;
    },
  };
}

/**
 * Single-item commands return one ConsumedCapacity, batches and transactions an array (one per
 * table). Read/write units are split when DynamoDB says so; otherwise the command type decides.
 */
function addCapacity(tally: DynamoTally, command: string, consumed: Capacity | Capacity[] | undefined) {
  for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      tally.rcu += c.ReadCapacityUnits ?? 0;
      tally.wcu += c.WriteCapacityUnits ?? 0;
    } else if (READ_COMMANDS.test(command)) {
      tally.rcu += c.CapacityUnits ?? 0;
    } else {
      tally.wcu += c.CapacityUnits ?? 0;
    }
  }
}
