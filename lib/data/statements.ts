import { BatchExecuteStatementCommand, type BatchExecuteStatementCommandInput, type BatchExecuteStatementCommandOutput } from "@aws-sdk/lib-dynamodb";
import { dynamodb } from "#lib/clients/dynamodb";
import { BATCH_ROUNDS } from "#lib/data/batch";

// Conditional writes of many items in one round trip: PartiQL statements, 25 per
// BatchExecuteStatement. Unlike a transaction each statement stands alone (one failed condition
// does not cancel the others) and costs what a single UpdateItem does. A statement DynamoDB
// throttled is sent again (backoff with full jitter, like batch.ts); whatever still failed after
// the last round is returned with its error, never thrown, so the caller keeps what succeeded.

export type Statement = NonNullable<BatchExecuteStatementCommandInput["Statements"]>[number];
export type StatementResult = NonNullable<BatchExecuteStatementCommandOutput["Responses"]>[number];

const LIMIT = 25;
const RETRYABLE = new Set(["ProvisionedThroughputExceeded", "ThrottlingError", "RequestLimitExceeded", "InternalServerError", "TransactionConflict"]);

const backoff = (round: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(800, 25 * 2 ** round)));

/** Runs every write statement; the results are in the order of the statements. */
export async function writeStatements(statements: Statement[]): Promise<StatementResult[]> {
  const results: StatementResult[] = new Array(statements.length);
  const chunks = Array.from({ length: Math.ceil(statements.length / LIMIT) }, (_, i) => statements.slice(i * LIMIT, (i + 1) * LIMIT).map((_, j) => i * LIMIT + j));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk;
      for (let round = 0; pending.length > 0 && round < BATCH_ROUNDS; round++) {
        if (round > 0) await backoff(round);
        const out = await dynamodb.send(new BatchExecuteStatementCommand({ Statements: pending.map((i) => statements[i] as Statement) }));
        const answers = out.Responses ?? [];
        pending.forEach((i, j) => (results[i] = answers[j] ?? { Error: { Code: "InternalServerError", Message: "no answer" } }));
        pending = pending.filter((i) => RETRYABLE.has(results[i]?.Error?.Code ?? ""));
      }
    }),
  );
  return results;
}
