import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { guardKey, toGuardItem } from "#lib/data/guard";
import { findSubmission, reviewQueueIndex, submissionKey } from "#lib/data/submission";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser, userKey } from "#lib/data/user";
import { conflict, forbidden, notFound, validationFailed } from "#lib/errors";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// The one decision per submission: approve or reject, with the user told afterwards.

type Staff = Pick<AuthContext, "userId" | "permissions">;

export interface Decision {
  decision: "APPROVE" | "REJECT";
  reason?: string;
}

/**
 * POST /admin/reviews/{id}/decision: once per submission. The submission, the user's identity
 * status, the document-number guard, the audit entry and the user's notice (the outbox) are
 * written in one transaction.
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
  const guard = guardKey("DOCUMENT", submission.documentHash);
  // Approved numbers stay claimed; a rejected one is released unless this account is verified with it.
  const guardChange = approve
    ? { Put: { TableName: tableName(), Item: toGuardItem(guard, owner.userId, { submissionId, status: "APPROVED" }) } }
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
            Key: submissionKey(submission.userId, submissionId),
            UpdateExpression: "SET #status = :status, decidedAt = :now, decidedBy = :by, GSI1PK = :gsi1pk" + (reason ? ", reason = :reason" : ""),
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":status": status,
              ":now": now,
              ":by": staff.userId,
              ":pending": "PENDING_REVIEW",
              ":gsi1pk": reviewQueueIndex(submissionId, status, submission.submittedAt ?? now).GSI1PK,
              ...(reason ? { ":reason": reason } : {}),
            },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: userKey(owner.userId),
            UpdateExpression: "SET identityStatus = :s, updatedAt = :now",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":s": identityStatus, ":now": now },
          },
        },
        ...(guardChange ? [guardChange] : []),
        approve
          ? await queueMessage(owner, preferredChannel(owner), "DOCUMENT_APPROVED", {})
          : await queueMessage(owner, preferredChannel(owner), "DOCUMENT_REJECTED", { reason: reason ?? "" }),
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
  return { submissionId, status, decision: decision.decision, reason: reason ?? null, decidedAt: now, decidedBy: staff.userId };
}
