import type { AuthContext } from "#lib/auth/authenticate";
import { shardedPage } from "#lib/data/query";
import { fromSubmissionItem, reviewQueuePrefix, type Submission } from "#lib/data/submission";
import { revealFields } from "#lib/documents/reveal";
import { maskDocumentNumber, maskName } from "#lib/privacy/masks";

// The staff review queue, and what staff may see of a submission's PII.

type Staff = Pick<AuthContext, "userId" | "permissions">;
export type ReviewStatus = "PENDING_REVIEW" | "APPROVED" | "REJECTED";

export const mayReadPii = (staff: Staff) => staff.permissions.includes("data:pii:read");

export async function personalFields(submission: Submission, unmasked: boolean) {
  const { fullName, documentNumber } = await revealFields(submission);
  return unmasked ? { fullName, documentNumber } : { fullName: maskName(fullName), documentNumber: maskDocumentNumber(documentNumber) };
}

/** GET /admin/reviews: oldest first, merged over the queue's shards; names and numbers masked. */
export async function reviewQueue(status: ReviewStatus, limit: number, cursor?: string) {
  const page = await shardedPage(reviewQueuePrefix(status), limit, cursor);
  const items = await Promise.all(
    page.items.flatMap((item) => fromSubmissionItem(item) ?? []).map(async (s) => {
      return {
        submissionId: s.submissionId,
        userId: s.userId,
        type: s.type,
        status: s.status,
        submittedAt: s.submittedAt,
        ...(await personalFields(s, false)),
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}
