import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { creditDirtyIndex } from "#lib/data/credit";
import { guardKey, toGuardItem } from "#lib/data/guard";
import { findSubmission, releaseReviewSlot, reviewQueueIndex, submissionKey } from "#lib/data/submission";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser, userKey } from "#lib/data/user";
import { alreadyDecided, conflictFor } from "#lib/documents/conflicts";
import { forbidden, notFound, validationFailed } from "#lib/errors";
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
 * status, the document-number guard, the user's review slot, the audit entry and the user's
 * notice (the outbox) are written in one transaction.
 */
export async function decide(staff: Staff, submissionId: string, decision: Decision, requestId: string) {
  const reason = decision.reason?.trim();
  if (decision.decision === "REJECT" && !reason) throw validationFailed([{ path: "body.reason", message: "A reason is required to reject." }]);
  const submission = await findSubmission(submissionId);
  if (!submission || submission.status === "AWAITING_UPLOAD") throw notFound("No such submission.");
  if (submission.userId === staff.userId) throw forbidden("OWN_SUBMISSION", "Staff cannot decide on their own submission.");
  if (submission.status !== "PENDING_REVIEW") throw alreadyDecided();
  const owner = await getUser(submission.userId, true);
  if (!owner) throw notFound("No such submission.");

  const approve = decision.decision === "APPROVE";
  const status = approve ? "APPROVED" : "REJECTED";
  const identityStatus = approve || owner.identityStatus === "APPROVED" ? "APPROVED" : "REJECTED";
  const now = new Date().toISOString();
  const guard = guardKey("DOCUMENT", submission.documentHash);
  const fixed: TransactItem[] = [
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
      // An approval changes the credit's identity factor and the level rules: it marks the user
      // changed, as a behaviour event does, so the nightly job evaluates both.
      Update: {
        TableName: tableName(),
        Key: userKey(owner.userId),
        UpdateExpression: "SET identityStatus = :s, updatedAt = :now" + (approve ? ", GSI2PK = :shard, GSI2SK = :userId, creditDirtyBy = :marker" : ""),
        ConditionExpression: "attribute_exists(PK)",
        ExpressionAttributeValues: {
          ":s": identityStatus,
          ":now": now,
          ...(approve ? { ":shard": creditDirtyIndex(owner.userId).GSI2PK, ":userId": creditDirtyIndex(owner.userId).GSI2SK, ":marker": `review:${submissionId}` } : {}),
        },
      },
    },
    // Approved numbers stay claimed.
    ...(approve ? [{ Put: { TableName: tableName(), Item: toGuardItem(guard, owner.userId, { submissionId, status: "APPROVED" }) } }] : []),
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
      // Which bytes were decided on: the ETags of the sealed copies.
      details: { decision: decision.decision, files: submission.files.map((f) => `${f.kind}:${f.etag ?? "unsealed"}`).join(",") },
    }),
  ];
  // Released only if this submission holds them; a rejected number stays claimed if this account is verified with it.
  let releases: TransactItem[] = [
    releaseReviewSlot(owner.userId, submissionId),
    ...(approve || identityStatus === "APPROVED"
      ? []
      : [
          {
            Delete: {
              TableName: tableName(),
              Key: guard,
              ConditionExpression: "attribute_not_exists(PK) OR submissionId = :id",
              ExpressionAttributeValues: { ":id": submissionId },
            },
          },
        ]),
  ];
  for (;;) {
    try {
      await transactWrite({ TransactItems: [...fixed, ...releases] });
      break;
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      // A slot or guard held by another submission (data from before the slot) is not this one's to release.
      const release = error.failedAt() - fixed.length;
      if (release >= 0 && release < releases.length) {
        releases = releases.filter((_, i) => i !== release);
        continue;
      }
      throw conflictFor(error, [alreadyDecided]);
    }
  }
  return { submissionId, status, decision: decision.decision, reason: reason ?? null, decidedAt: now, decidedBy: staff.userId };
}
