import { randomUUID } from "node:crypto";
import { headObject, presignUpload } from "#lib/clients/s3";
import { tableName } from "#lib/clients/dynamodb";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import { keys } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import type { IdentityStatus, UserRecord } from "#lib/data/users";
import { automaticChecks, type CheckFailure, type DocumentType, duplicateDocument, normaliseDocumentNumber } from "#lib/documents/checks";
import {
  type ContentType,
  type FileKind,
  fieldContext,
  getSubmission,
  listSubmissionsOf,
  objectKey,
  REQUIRED_KINDS,
  revealFields,
  type Submission,
  toItem,
} from "#lib/documents/submissions";
import { conflict, type FieldError, notFound, validationFailed } from "#lib/errors";

// The user's side of identity documents: declare, upload (straight to S3), submit, see the result.

export const UPLOAD_URL_SECONDS = 15 * 60;

export interface NewSubmission {
  type: DocumentType;
  fullName: string;
  documentNumber: string;
  files: { kind: FileKind; contentType: ContentType; size: number }[];
}

type Owner = Pick<UserRecord, "userId" | "identityStatus">;

/** POST /me/documents: stores the declaration (PII encrypted) and hands out one presigned PUT per file. */
export async function createSubmission(owner: Owner, input: NewSubmission) {
  const required = REQUIRED_KINDS[input.type];
  const declared = input.files.map((f) => f.kind);
  const problems: FieldError[] = [];
  if (new Set(declared).size !== declared.length) problems.push({ path: "body.files", message: "Each kind may be declared once." });
  const missing = required.filter((k) => !declared.includes(k));
  const extra = declared.filter((k) => !required.includes(k));
  if (missing.length || extra.length) {
    problems.push({ path: "body.files", message: `A ${input.type} needs exactly the files ${required.join(", ")}.` });
  }
  if (problems.length) throw validationFailed(problems);

  const existing = await listSubmissionsOf(owner.userId);
  if (existing.some((s) => s.status === "PENDING_REVIEW")) throw conflict("REVIEW_PENDING", "A submission is already waiting for review.");

  const submissionId = randomUUID();
  const userId = owner.userId;
  const number = normaliseDocumentNumber(input.documentNumber);
  const submission: Submission = {
    submissionId,
    userId,
    type: input.type,
    status: "AWAITING_UPLOAD",
    fullNameEnc: await encryptField(input.fullName.trim(), fieldContext(userId, submissionId, "fullName")),
    documentNumberEnc: await encryptField(number, fieldContext(userId, submissionId, "documentNumber")),
    documentHash: await lookupHash("DOCUMENT", number),
    files: input.files.map((f) => ({ ...f, key: objectKey(userId, submissionId, f.kind) })),
    createdAt: new Date().toISOString(),
  };
  await transactWrite({
    TransactItems: [{ Put: { TableName: tableName(), Item: toItem(submission), ConditionExpression: "attribute_not_exists(PK)" } }],
  });
  const uploads = await Promise.all(
    submission.files.map(async (f) => ({ kind: f.kind, ...(await presignUpload(f.key, f.contentType, f.size, UPLOAD_URL_SECONDS)) })),
  );
  return { submissionId, status: submission.status, uploads };
}

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
    Key: keys.user(userId),
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
          Key: keys.document(owner.userId, submission.submissionId),
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

  const guard = keys.unique("DOCUMENT", submission.documentHash);
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: keys.document(owner.userId, submissionId),
            UpdateExpression: "SET #status = :pending, submittedAt = :now, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk",
            ConditionExpression: awaitingUpload.ConditionExpression,
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":pending": "PENDING_REVIEW",
              ":now": now,
              ":awaiting": awaitingUpload.awaiting,
              ...prefixed(keys.reviewQueueIndex(submissionId, "PENDING_REVIEW", now)),
            },
          },
        },
        // The number may be claimed by this account only (approved or pending elsewhere → duplicate).
        {
          Put: {
            TableName: tableName(),
            Item: { ...guard, type: "UNIQUE", userId: owner.userId, submissionId, status: "PENDING_REVIEW" },
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
