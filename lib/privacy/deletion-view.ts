import { recordAudit } from "#lib/audit/trail";
import { DELETION_STEPS, type DeletionRecord, getDeletion, updateDeletion } from "#lib/data/deletion";
import { conflict, notFound } from "#lib/errors";

// What staff see of an account deletion (GET /admin/deletions/{userId}) and how they resume one
// whose retries ran out (POST /admin/deletions/{userId}/resume): the record goes back to PENDING,
// whose image on the table stream starts the worker again; it resumes at the first step not DONE.

export function deletionView(record: DeletionRecord) {
  return {
    userId: record.userId,
    status: record.status,
    requestedAt: record.requestedAt,
    updatedAt: record.updatedAt,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    attempts: record.attempts ?? 0,
    steps: DELETION_STEPS.map((name) => {
      const step = record.steps?.[name];
      return { name, status: step?.status ?? "PENDING", ...(step ? { ...step, status: step.status } : {}) };
    }),
  };
}

export async function getDeletionView(userId: string) {
  const record = await getDeletion(userId);
  if (!record) throw notFound("No deletion of this user.");
  return deletionView(record);
}

export async function resumeDeletion(staff: { userId: string }, userId: string, requestId: string) {
  const record = await getDeletion(userId);
  if (!record) throw notFound("No deletion of this user.");
  if (record.status === "DONE") throw conflict("DELETION_DONE", "This deletion has finished; there is nothing to resume.");
  const resumed = await updateDeletion(userId, "PENDING", undefined, { resumedBy: staff.userId });
  await recordAudit([{ actorId: staff.userId, action: "ACCOUNT_DELETION_RESUMED", targetUserId: userId, requestId }]);
  return deletionView(resumed);
}
