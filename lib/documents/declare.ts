import { randomUUID } from "node:crypto";
import { presignUpload } from "#lib/clients/s3";
import { tableName } from "#lib/clients/dynamodb";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import { type ContentType, type DocumentType, type FileKind, fieldContext, listSubmissionsOf, objectKey, type Submission, toSubmissionItem } from "#lib/data/submission";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import type { UserRecord } from "#lib/data/user";
import { normaliseDocumentNumber } from "#lib/documents/checks";
import { conflictFor, reviewPending } from "#lib/documents/conflicts";
import { REQUIRED_KINDS } from "#lib/documents/requirements";
import { type FieldError, validationFailed } from "#lib/errors";

// The user declares a document and gets one presigned PUT per image (uploads go straight to S3).

/** Short: an upload URL is only for the moment of uploading (submit seals what it finds). */
export const UPLOAD_URL_SECONDS = 5 * 60;

export interface NewSubmission {
  type: DocumentType;
  fullName: string;
  documentNumber: string;
  files: { kind: FileKind; contentType: ContentType; size: number }[];
}

type Owner = Pick<UserRecord, "userId">;

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
  if (existing.some((s) => s.status === "PENDING_REVIEW")) throw reviewPending();

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
  try {
    await transactWrite({
      TransactItems: [{ Put: { TableName: tableName(), Item: toSubmissionItem(submission), ConditionExpression: "attribute_not_exists(PK)" } }],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled) throw conflictFor(error, []);
    throw error;
  }
  const uploads = await Promise.all(
    submission.files.map(async (f) => ({ kind: f.kind, ...(await presignUpload(f.key, f.contentType, f.size, UPLOAD_URL_SECONDS)) })),
  );
  return { submissionId, status: submission.status, uploads };
}
