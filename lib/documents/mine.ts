import { listSubmissionsOf } from "#lib/data/submission";

/** GET /me/documents: the user's submissions, newest first. */
export async function mySubmissions(userId: string) {
  const submissions = await listSubmissionsOf(userId);
  return {
    items: submissions.map((s) => ({
      submissionId: s.submissionId,
      type: s.type,
      status: s.status,
      ...(s.reason ? { reason: s.reason, reasonCode: s.reasonCode } : {}),
      createdAt: s.createdAt,
      submittedAt: s.submittedAt ?? null,
      ...(s.decidedAt ? { decidedAt: s.decidedAt } : {}),
    })),
  };
}
