import type { TransactionCancelled } from "#lib/data/transactions";
import { type AppError, conflict } from "#lib/errors";

// Every cancelled transaction of the documents flow answers a 409 that says what happened.

export const alreadySubmitted = () => conflict("ALREADY_SUBMITTED", "This submission was already submitted.");
export const reviewPending = () => conflict("REVIEW_PENDING", "A submission is already waiting for review.");
export const alreadyDecided = () => conflict("ALREADY_DECIDED", "This submission has already been decided.");

/**
 * The error of the first item whose condition failed (`byItem[i]` for item i); any other item,
 * or a conflict with concurrent writes that outlasted the retries, is "changed meanwhile".
 */
export function conflictFor(error: TransactionCancelled, byItem: (() => AppError)[]): AppError {
  const known = byItem[error.failedAt()];
  return known ? known() : conflict("CHANGED_MEANWHILE", "Something about this submission changed at the same time; reload and try again.");
}
