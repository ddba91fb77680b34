import { DELETION_STEPS, type DeletionRecord, getDeletion, updateDeletion } from "#lib/data/deletion";
import { logger } from "#lib/logger";
import { STEP_RUNNERS } from "#lib/privacy/deletion-steps";

// The worker of an account deletion. It reads the deletion record, skips the steps recorded DONE
// and runs the others in order, recording each before it runs (RUNNING) and after (DONE with its
// counts); a step that throws is recorded FAILED (failures + 1, the error's name and message, never
// PII) and the error is thrown on, so the stream retries the batch, and every retry resumes at the
// failed step. Steps are idempotent, so a run cut off inside a step (a timeout, a crash) simply
// does that step again. Two runs at once (a retry racing a resume) do the same idempotent work.

const describe = (error: unknown) => {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? "Error"}: ${String(e?.message ?? "").slice(0, 200)}`;
};

/** Carries out (or finishes) the deletion of a user; returns the record as left. */
export async function runDeletion(userId: string): Promise<DeletionRecord | undefined> {
  let record = await getDeletion(userId);
  if (!record || record.status === "DONE") return record;
  record = await updateDeletion(userId, "RUNNING", undefined, { attempts: (record.attempts ?? 0) + 1 });
  for (const name of DELETION_STEPS) {
    const before = record.steps?.[name];
    if (before?.status === "DONE") continue;
    const startedAt = new Date().toISOString();
    const failures = before?.failures ?? 0;
    const past = before?.lastError ? { lastError: before.lastError } : {};
    record = await updateDeletion(userId, "RUNNING", { name, record: { status: "RUNNING", startedAt, failures, ...past } });
    let counts: Record<string, number>;
    try {
      counts = await STEP_RUNNERS[name](userId);
    } catch (error) {
      logger.warn("deletion step failed; it will be retried", { step: name, errorName: (error as Error)?.name });
      await updateDeletion(userId, "FAILED", { name, record: { status: "FAILED", startedAt, failures: failures + 1, lastError: describe(error) } });
      throw error;
    }
    record = await updateDeletion(userId, "RUNNING", { name, record: { status: "DONE", startedAt, finishedAt: new Date().toISOString(), failures, ...past, counts } });
  }
  return updateDeletion(userId, "DONE", undefined, { finishedAt: new Date().toISOString() });
}

/** The table-stream consumer: each record is a deletion record's new PENDING image (the event filter lets only those through). */
export async function onDeletionRecords(records: { dynamodb?: { Keys?: Record<string, { S?: string }> } }[]): Promise<void> {
  for (const r of records) {
    const pk = r.dynamodb?.Keys?.PK?.S ?? "";
    if (!pk.startsWith("DELETION#")) continue;
    await runDeletion(pk.slice("DELETION#".length));
  }
}
