// A refused transaction, in a module of its own: the HTTP layer maps it to a 409 without pulling the
// DynamoDB client into functions that never write.

export type CancellationCode = "ConditionalCheckFailed" | "TransactionConflict" | "None" | string;

export class TransactionCancelled extends Error {
  constructor(
    readonly reasons: CancellationCode[],
    /** Per item, what it held when its condition failed (for items written with ReturnValuesOnConditionCheckFailure). */
    readonly items: (Record<string, unknown> | undefined)[] = [],
  ) {
    super(`transaction cancelled: ${reasons.join(",")}`);
  }
  /** Index of the first item whose condition failed, or -1. */
  failedAt(): number {
    return this.reasons.indexOf("ConditionalCheckFailed");
  }
}
