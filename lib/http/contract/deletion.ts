import { DELETION_STEPS } from "#lib/data/deletion-values";
import { count, id, int, list, mapOf, object, oneOf, optional, text, timestamp } from "#lib/http/contract/fields";

/** An account deletion as staff follow it (lib/privacy/deletion-view.ts). */
export const deletionView = object({
  userId: id,
  status: oneOf(["PENDING", "RUNNING", "FAILED", "DONE"]),
  requestedAt: timestamp,
  updatedAt: timestamp,
  finishedAt: optional(timestamp),
  attempts: int(0, 10_000),
  steps: list(
    object({
      name: oneOf(DELETION_STEPS),
      status: oneOf(["PENDING", "RUNNING", "DONE", "FAILED"]),
      startedAt: optional(timestamp),
      finishedAt: optional(timestamp),
      failures: optional(int(0, 10_000)),
      lastError: optional(text(500)),
      counts: optional(mapOf(count)),
    }),
    DELETION_STEPS.length,
  ),
});
