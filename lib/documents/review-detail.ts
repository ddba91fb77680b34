import { recordAudit } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { presignDownload } from "#lib/clients/s3";
import { findSubmission } from "#lib/data/submission";
import { mayReadPii, personalFields } from "#lib/documents/review-queue";
import { notFound } from "#lib/errors";

// One submission for a reviewer, with short-lived image URLs: always an audited read.

export const IMAGE_URL_SECONDS = 5 * 60;

type Staff = Pick<AuthContext, "userId" | "permissions">;

/** GET /admin/reviews/{id}: the submission with presigned GET URLs for its images. Always audited (images are PII). */
export async function reviewDetail(staff: Staff, submissionId: string, requestId: string) {
  const submission = await findSubmission(submissionId);
  if (!submission || submission.status === "AWAITING_UPLOAD") throw notFound("No such submission.");
  const unmasked = mayReadPii(staff);
  await recordAudit([
    { actorId: staff.userId, action: "REVIEW_VIEWED", targetUserId: submission.userId, subject: submissionId, requestId, details: { unmasked } },
  ]);
  // Only the sealed copy, never the upload (whose URL may still accept a PUT); the ETag lets the
  // reviewer's client check it got those very bytes. Submissions sealed before this existed get no URL.
  const files = await Promise.all(
    submission.files.map(async (f) => ({
      kind: f.kind,
      contentType: f.contentType,
      size: f.size,
      etag: f.etag ?? null,
      ...(f.submittedKey ? await presignDownload(f.submittedKey, IMAGE_URL_SECONDS) : { url: null }),
    })),
  );
  return {
    submissionId,
    userId: submission.userId,
    type: submission.type,
    status: submission.status,
    ...(await personalFields(submission, unmasked)),
    files,
    createdAt: submission.createdAt,
    submittedAt: submission.submittedAt,
    ...(submission.decidedAt ? { decidedAt: submission.decidedAt, decidedBy: submission.decidedBy, reason: submission.reason ?? null } : {}),
  };
}
