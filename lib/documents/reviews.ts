import type { AuthContext } from "#lib/auth/authenticate";
import { shardedPage } from "#lib/admin/pagination";
import { auditPut, recordAudit } from "#lib/audit/trail";
import { tableName } from "#lib/clients/dynamodb";
import { presignDownload } from "#lib/clients/s3";
import { keys } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser } from "#lib/data/users";
import { maskName } from "#lib/documents/checks";
import { findSubmission, revealFields, type Submission } from "#lib/documents/submissions";
import { conflict, forbidden, notFound, validationFailed } from "#lib/errors";
import { maskDocumentNumber } from "#lib/identity/rules";
import { logger } from "#lib/logger";
import { deliver, preferredChannel } from "#lib/notify/notify";

// Staff review of identity documents: the sharded queue, a submission with short-lived image
// URLs (an audited read), and the one decision per submission.

export const IMAGE_URL_SECONDS = 5 * 60;

type Staff = Pick<AuthContext, "userId" | "permissions">;
export type ReviewStatus = "PENDING_REVIEW" | "APPROVED" | "REJECTED";

const mayReadPii = (staff: Staff) => staff.permissions.includes("data:pii:read");

async function personalFields(submission: Submission, unmasked: boolean) {
  const { fullName, documentNumber } = await revealFields(submission);
  return unmasked ? { fullName, documentNumber } : { fullName: maskName(fullName), documentNumber: maskDocumentNumber(documentNumber) };
}

/** GET /admin/reviews: oldest first, merged over the queue's shards; names and numbers masked. */
export async function reviewQueue(status: ReviewStatus, limit: number, cursor?: string) {
  const page = await shardedPage(`REVIEWS#${status}`, limit, cursor);
  const items = await Promise.all(
    page.items.map(async (item) => {
      const s = item as unknown as Submission;
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

/** GET /admin/reviews/{id}: the submission with presigned GET URLs for its images. Always audited (images are PII). */
export async function reviewDetail(staff: Staff, submissionId: string, requestId: string) {
  const submission = await findSubmission(submissionId);
  if (!submission || submission.status === "AWAITING_UPLOAD") throw notFound("No such submission.");
  const unmasked = mayReadPii(staff);
  await recordAudit([
    { actorId: staff.userId, action: "REVIEW_VIEWED", targetUserId: submission.userId, subject: submissionId, requestId, details: { unmasked } },
  ]);
  const files = await Promise.all(
    submission.files.map(async (f) => ({ kind: f.kind, contentType: f.contentType, size: f.size, ...(await presignDownload(f.key, IMAGE_URL_SECONDS)) })),
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

export interface Decision {
  decision: "APPROVE" | "REJECT";
  reason?: string;
}

const decisionMessage = (decision: Decision) =>
  decision.decision === "APPROVE"
    ? { subject: "Your identity is verified", text: "Your identity document was approved. Thank you for verifying your identity." }
    : {
        subject: "Your identity document was not approved",
        text: `Your identity document was not approved: ${decision.reason}. You can submit a new one in the app.`,
      };

/**
 * POST /admin/reviews/{id}/decision: once per submission. The submission, the user's identity
 * status, the document-number guard and the audit entry change in one transaction; the user is
 * told by mail afterwards (a mail failure does not undo the decision).
 */
export async function decide(staff: Staff, submissionId: string, decision: Decision, requestId: string) {
  const reason = decision.reason?.trim();
  if (decision.decision === "REJECT" && !reason) throw validationFailed([{ path: "body.reason", message: "A reason is required to reject." }]);
  const submission = await findSubmission(submissionId);
  if (!submission || submission.status === "AWAITING_UPLOAD") throw notFound("No such submission.");
  if (submission.userId === staff.userId) throw forbidden("OWN_SUBMISSION", "Staff cannot decide on their own submission.");
  if (submission.status !== "PENDING_REVIEW") throw conflict("ALREADY_DECIDED", "This submission has already been decided.");
  const owner = await getUser(submission.userId, true);
  if (!owner) throw notFound("No such submission.");

  const approve = decision.decision === "APPROVE";
  const status = approve ? "APPROVED" : "REJECTED";
  const identityStatus = approve || owner.identityStatus === "APPROVED" ? "APPROVED" : "REJECTED";
  const now = new Date().toISOString();
  const guard = keys.unique("DOCUMENT", submission.documentHash);
  // Approved numbers stay claimed; a rejected one is released unless this account is verified with it.
  const guardChange = approve
    ? { Put: { TableName: tableName(), Item: { ...guard, type: "UNIQUE", userId: owner.userId, submissionId, status: "APPROVED" } } }
    : identityStatus === "APPROVED"
      ? undefined
      : {
          Delete: {
            TableName: tableName(),
            Key: guard,
            ConditionExpression: "attribute_not_exists(PK) OR submissionId = :id",
            ExpressionAttributeValues: { ":id": submissionId },
          },
        };
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: keys.document(submission.userId, submissionId),
            UpdateExpression: "SET #status = :status, decidedAt = :now, decidedBy = :by, GSI1PK = :gsi1pk" + (reason ? ", reason = :reason" : ""),
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":status": status,
              ":now": now,
              ":by": staff.userId,
              ":pending": "PENDING_REVIEW",
              ":gsi1pk": keys.reviewQueueIndex(submissionId, status, submission.submittedAt ?? now).GSI1PK,
              ...(reason ? { ":reason": reason } : {}),
            },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: keys.user(owner.userId),
            UpdateExpression: "SET identityStatus = :s, updatedAt = :now",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":s": identityStatus, ":now": now },
          },
        },
        ...(guardChange ? [guardChange] : []),
        auditPut({
          actorId: staff.userId,
          action: "REVIEW_DECIDED",
          targetUserId: owner.userId,
          subject: submissionId,
          requestId,
          ...(reason ? { reason } : {}),
          details: { decision: decision.decision },
        }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) throw conflict("ALREADY_DECIDED", "This submission has already been decided.");
    throw error;
  }
  const mailed = await deliver(owner, preferredChannel(owner), decisionMessage({ decision: decision.decision, reason }));
  if (!mailed) logger.warn("review decision not delivered", { submissionId, userId: owner.userId });
  return { submissionId, status, decision: decision.decision, reason: reason ?? null, decidedAt: now, decidedBy: staff.userId };
}
