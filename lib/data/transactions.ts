import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamodb } from "#lib/clients/dynamodb";
import { TransactionCancelled } from "#lib/data/cancelled";

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export { type CancellationCode, TransactionCancelled } from "#lib/data/cancelled";

/**
 * One atomic multi-item write. A cancellation because of a condition is returned to the caller as
 * TransactionCancelled; a conflict with a concurrent transaction on the same items is retried a
 * few times with jitter, after which its condition will decide.
 */
export async function transactWrite(input: TransactWriteCommandInput, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamodb.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? "None");
      const conflictOnly = reasons.includes("TransactionConflict") && !reasons.includes("ConditionalCheckFailed");
      if (!conflictOnly || attempt >= attempts) {
        throw new TransactionCancelled(reasons, (error.CancellationReasons ?? []).map((r) => (r.Item ? unmarshall(r.Item) : undefined)));
      }
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 40));
    }
  }
}
