import { describe, expect, it } from "vitest";
import { TransactionCancelled } from "#lib/data/transactions";
import { alreadySubmitted, conflictFor, reviewPending } from "#lib/documents/conflicts";

// A cancelled transaction in the documents flow is always a 409 naming what happened, never a 500.
describe("conflictFor", () => {
  const byItem = [alreadySubmitted, reviewPending];

  it.each([
    [["ConditionalCheckFailed", "None", "None"], "ALREADY_SUBMITTED"],
    [["None", "ConditionalCheckFailed", "ConditionalCheckFailed"], "REVIEW_PENDING"],
    [["None", "None", "ConditionalCheckFailed"], "CHANGED_MEANWHILE"],
    [["TransactionConflict", "None"], "CHANGED_MEANWHILE"],
    [[], "CHANGED_MEANWHILE"],
  ])("%j → 409 %s", (reasons, code) => {
    const error = conflictFor(new TransactionCancelled(reasons), byItem);
    expect({ status: error.status, code: error.code }).toEqual({ status: 409, code });
    expect(error.detail).toEqual(expect.any(String));
  });
});
