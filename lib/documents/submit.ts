import { tableName } from "#lib/clients/dynamodb";
import { guardKey, toGuardItem } from "#lib/data/guard";
import { getSubmission, reviewQueueIndex, reviewSlotFree, reviewSlotHolder, type Submission, submissionKey, takeReviewSlot } from "#lib/data/submission";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { type IdentityStatus, type UserRecord, userKey } from "#lib/data/user";
import { automaticChecks, type CheckFailure, duplicateDocument } from "#lib/documents/checks";
import { alreadySubmitted, conflictFor, reviewPending } from "#lib/documents/conflicts";
import { revealFields } from "#lib/documents/reveal";
import { discardUploads, type SealedFile, sealUploads } from "#lib/documents/seal";
import { notFound } from "#lib/errors";

// Submit: the uploads are checked against the declaration and sealed (copied where no upload URL
// reaches), the automatic checks run, and the submission is either rejected at once (with the
// reason) or queued for staff review, one submission in review per user.

type Owner = Pick<UserRecord, "userId" | "identityStatus">;

/** A user already approved stays approved whatever a later submission does. */
const nextIdentityStatus = (current: IdentityStatus, wanted: IdentityStatus): IdentityStatus => (current === "APPROVED" ? "APPROVED" : wanted);

const userIdentityUpdate = (userId: string, identityStatus: IdentityStatus, now: string) => ({
  Update: {
    TableName: tableName(),
    Key: userKey(userId),
    UpdateExpression: "SET identityStatus = :s, updatedAt = :now",
    ConditionExpression: "attribute_exists(PK)",
    ExpressionAttributeValues: { ":s": identityStatus, ":now": now },
  },
});

/** Moves an AWAITING_UPLOAD submission on, recording its sealed files (what everyone sees from now on). */
const leaveAwaitingUpload = (submission: Submission, files: SealedFile[], set: string, values: Record<string, unknown>) => ({
  Update: {
    TableName: tableName(),
    Key: submissionKey(submission.userId, submission.submissionId),
    UpdateExpression: `SET #status = :status, #files = :files, ${set}`,
    ConditionExpression: "#status = :awaiting",
    ExpressionAttributeNames: { "#status": "status", "#files": "files" },
    ExpressionAttributeValues: { ":awaiting": "AWAITING_UPLOAD", ":files": files, ...values },
  },
});

/** Rejected at once; allowed only while none of the user's submissions is in review (it would set identityStatus). */
async function rejectAutomatically(owner: Owner, submission: Submission, files: SealedFile[], failure: CheckFailure, now: string) {
  try {
    await transactWrite({
      TransactItems: [
        leaveAwaitingUpload(submission, files, "submittedAt = :now, decidedAt = :now, decidedBy = :system, reasonCode = :code, reason = :reason", {
          ":status": "REJECTED",
          ":now": now,
          ":system": "AUTOMATIC_CHECK",
          ":code": failure.code,
          ":reason": failure.reason,
        }),
        reviewSlotFree(owner.userId),
        userIdentityUpdate(owner.userId, nextIdentityStatus(owner.identityStatus, "REJECTED"), now),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled) throw conflictFor(error, [alreadySubmitted, reviewPending]);
    throw error;
  }
  return { submissionId: submission.submissionId, status: "REJECTED" as const, reasonCode: failure.code, reason: failure.reason };
}

/** Into the review queue, taking the user's review slot and claiming the number for this account. */
async function queueForReview(owner: Owner, submission: Submission, files: SealedFile[], now: string) {
  const { submissionId } = submission;
  const queue = reviewQueueIndex(submissionId, "PENDING_REVIEW", now);
  try {
    await transactWrite({
      TransactItems: [
        leaveAwaitingUpload(submission, files, "submittedAt = :now, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk", {
          ":status": "PENDING_REVIEW",
          ":now": now,
          ":gsi1pk": queue.GSI1PK,
          ":gsi1sk": queue.GSI1SK,
        }),
        takeReviewSlot(owner.userId, submissionId, now),
        // The number may be claimed by this account only (approved or pending elsewhere → duplicate).
        {
          Put: {
            TableName: tableName(),
            Item: toGuardItem(guardKey("DOCUMENT", submission.documentHash), owner.userId, { submissionId, status: "PENDING_REVIEW" }),
            ConditionExpression: "attribute_not_exists(PK) OR userId = :me",
            ExpressionAttributeValues: { ":me": owner.userId },
          },
        },
        userIdentityUpdate(owner.userId, nextIdentityStatus(owner.identityStatus, "PENDING_REVIEW"), now),
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    if (error.failedAt() === 2) return rejectAutomatically(owner, submission, files, duplicateDocument, now);
    throw conflictFor(error, [alreadySubmitted, reviewPending]);
  }
  return { submissionId, status: "PENDING_REVIEW" as const };
}

/**
 * POST /me/documents/{id}/submit: checks and seals the uploads, runs the automatic checks and
 * either rejects at once (with the reason) or queues the submission for staff review.
 */
export async function submitSubmission(owner: Owner, submissionId: string) {
  const submission = await getSubmission(owner.userId, submissionId);
  if (!submission) throw notFound("No such submission.");
  if (submission.status !== "AWAITING_UPLOAD") throw alreadySubmitted();
  // An early answer before copying anything; the transactions below are what enforce it.
  if (await reviewSlotHolder(owner.userId)) throw reviewPending();
  const files = await sealUploads(submission);

  const now = new Date().toISOString();
  const { fullName, documentNumber } = await revealFields(submission);
  const failure = automaticChecks({ type: submission.type, fullName, documentNumber });
  const result = failure ? await rejectAutomatically(owner, submission, files, failure, now) : await queueForReview(owner, submission, files, now);
  // Only now: a submit refused above keeps its uploads, so the user can simply submit again later.
  await discardUploads(files);
  return result;
}
