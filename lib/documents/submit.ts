import { tableName } from "#lib/clients/dynamodb";
import { headObject } from "#lib/clients/s3";
import { guardKey, toGuardItem } from "#lib/data/guard";
import { getSubmission, reviewQueueIndex, type Submission, submissionKey } from "#lib/data/submission";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { type IdentityStatus, type UserRecord, userKey } from "#lib/data/user";
import { automaticChecks, type CheckFailure, duplicateDocument } from "#lib/documents/checks";
import { revealFields } from "#lib/documents/reveal";
import { conflict, type FieldError, notFound, validationFailed } from "#lib/errors";

// Submit: the uploads are checked against the declaration, the automatic checks run, and the
// submission is either rejected at once (with the reason) or queued for staff review.

type Owner = Pick<UserRecord, "userId" | "identityStatus">;

/** Every declared object must exist with the declared type and size (what S3 enforces on AWS, checked again). */
async function uploadProblems(submission: Submission): Promise<FieldError[]> {
  const heads = await Promise.all(submission.files.map(async (f) => ({ file: f, head: await headObject(f.key) })));
  return heads.flatMap(({ file, head }): FieldError[] => {
    const path = `files.${file.kind}`;
    if (!head) return [{ path, message: "Not uploaded yet." }];
    if (head.contentType?.split(";")[0]?.trim().toLowerCase() !== file.contentType) {
      return [{ path, message: `Uploaded as ${head.contentType ?? "unknown type"}, declared ${file.contentType}.` }];
    }
    if (head.size !== file.size) return [{ path, message: `Uploaded ${head.size ?? 0} bytes, declared ${file.size}.` }];
    return [];
  });
}

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

const awaitingUpload = { ConditionExpression: "#status = :awaiting", awaiting: "AWAITING_UPLOAD" };

async function rejectAutomatically(owner: Owner, submission: Submission, failure: CheckFailure, now: string) {
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: submissionKey(owner.userId, submission.submissionId),
          UpdateExpression: "SET #status = :rejected, submittedAt = :now, decidedAt = :now, decidedBy = :system, reasonCode = :code, reason = :reason",
          ConditionExpression: awaitingUpload.ConditionExpression,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":rejected": "REJECTED",
            ":now": now,
            ":system": "AUTOMATIC_CHECK",
            ":code": failure.code,
            ":reason": failure.reason,
            ":awaiting": awaitingUpload.awaiting,
          },
        },
      },
      userIdentityUpdate(owner.userId, nextIdentityStatus(owner.identityStatus, "REJECTED"), now),
    ],
  });
  return { submissionId: submission.submissionId, status: "REJECTED" as const, reasonCode: failure.code, reason: failure.reason };
}

/**
 * POST /me/documents/{id}/submit: checks the uploads, runs the automatic checks and either
 * rejects at once (with the reason) or queues the submission for staff review, claiming the
 * document number for this account in the same transaction.
 */
export async function submitSubmission(owner: Owner, submissionId: string) {
  const submission = await getSubmission(owner.userId, submissionId);
  if (!submission) throw notFound("No such submission.");
  if (submission.status !== "AWAITING_UPLOAD") throw conflict("ALREADY_SUBMITTED", "This submission was already submitted.");
  const problems = await uploadProblems(submission);
  if (problems.length) throw validationFailed(problems, "Some files are missing or differ from what was declared; upload them again.");

  const now = new Date().toISOString();
  const { fullName, documentNumber } = await revealFields(submission);
  const failure = automaticChecks({ type: submission.type, fullName, documentNumber });
  if (failure) return rejectAutomatically(owner, submission, failure, now);

  const guard = guardKey("DOCUMENT", submission.documentHash);
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: submissionKey(owner.userId, submissionId),
            UpdateExpression: "SET #status = :pending, submittedAt = :now, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk",
            ConditionExpression: awaitingUpload.ConditionExpression,
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":pending": "PENDING_REVIEW",
              ":now": now,
              ":awaiting": awaitingUpload.awaiting,
              ...prefixed(reviewQueueIndex(submissionId, "PENDING_REVIEW", now)),
            },
          },
        },
        // The number may be claimed by this account only (approved or pending elsewhere → duplicate).
        {
          Put: {
            TableName: tableName(),
            Item: toGuardItem(guard, owner.userId, { submissionId, status: "PENDING_REVIEW" }),
            ConditionExpression: "attribute_not_exists(PK) OR userId = :me",
            ExpressionAttributeValues: { ":me": owner.userId },
          },
        },
        userIdentityUpdate(owner.userId, nextIdentityStatus(owner.identityStatus, "PENDING_REVIEW"), now),
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    if (error.failedAt() === 1) return rejectAutomatically(owner, submission, duplicateDocument, now);
    throw conflict("ALREADY_SUBMITTED", "This submission was already submitted.");
  }
  return { submissionId, status: "PENDING_REVIEW" as const };
}

const prefixed = (index: { GSI1PK: string; GSI1SK: string }) => ({ ":gsi1pk": index.GSI1PK, ":gsi1sk": index.GSI1SK });
