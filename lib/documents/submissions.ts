import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField } from "#lib/crypto/fields";
import { keys, userPk } from "#lib/data/keys";
import { queryAll } from "#lib/data/query";
import type { DocumentType } from "#lib/documents/checks";

// The submission entity: one item per submission in its owner's partition. Full name and
// document number are stored only encrypted (bound to owner, submission and field); the number's
// keyed hash is what the duplicate guard compares.

export type SubmissionStatus = "AWAITING_UPLOAD" | "PENDING_REVIEW" | "APPROVED" | "REJECTED";
export type FileKind = "FRONT" | "BACK" | "SELFIE";
export type ContentType = "image/jpeg" | "image/png" | "application/pdf";

export const CONTENT_TYPES: readonly ContentType[] = ["image/jpeg", "image/png", "application/pdf"];
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The images each document type needs, exactly. */
export const REQUIRED_KINDS: Record<DocumentType, FileKind[]> = {
  ID_CARD: ["FRONT", "BACK", "SELFIE"],
  DRIVER_LICENSE: ["FRONT", "BACK", "SELFIE"],
  PASSPORT: ["FRONT", "SELFIE"],
};

export interface StoredFile {
  kind: FileKind;
  contentType: ContentType;
  size: number;
  /** `documents/<userId>/<submissionId>/<kind>`: ids only, never PII. */
  key: string;
}

export interface Submission {
  submissionId: string;
  userId: string;
  type: DocumentType;
  status: SubmissionStatus;
  fullNameEnc: string;
  documentNumberEnc: string;
  documentHash: string;
  files: StoredFile[];
  createdAt: string;
  submittedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
  reasonCode?: string;
  reason?: string;
}

export const objectPrefix = (userId: string) => `documents/${userId}/`;
export const objectKey = (userId: string, submissionId: string, kind: FileKind) => `${objectPrefix(userId)}${submissionId}/${kind}`;
export const fieldContext = (userId: string, submissionId: string, field: "fullName" | "documentNumber") =>
  `${userId}:document:${submissionId}:${field}`;

function fromItem(item: Record<string, unknown> | undefined): Submission | undefined {
  if (item?.entity !== "DOCUMENT") return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, GSI2PK: _g2, GSI2SK: _g2s, entity: _e, ...rest } = item;
  return rest as unknown as Submission;
}

/** The item written to the table (the `type` attribute is the document type, so the entity tag is `entity`). */
export function toItem(submission: Submission) {
  return { ...keys.document(submission.userId, submission.submissionId), ...keys.documentById(submission.submissionId), entity: "DOCUMENT", ...submission };
}

export async function getSubmission(userId: string, submissionId: string): Promise<Submission | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: keys.document(userId, submissionId), ConsistentRead: true }));
  return fromItem(out.Item);
}

/** Staff know only the id: the sparse GSI2 entry gives the key, then a consistent read. */
export async function findSubmission(submissionId: string): Promise<Submission | undefined> {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "GSI2",
      KeyConditionExpression: "GSI2PK = :pk AND GSI2SK = :sk",
      ExpressionAttributeValues: { ":pk": keys.documentById(submissionId).GSI2PK, ":sk": "SUBMISSION" },
      Limit: 1,
    }),
  );
  const key = out.Items?.[0];
  const userId = typeof key?.PK === "string" ? key.PK.slice("USER#".length) : undefined;
  return userId ? getSubmission(userId, submissionId) : undefined;
}

export async function listSubmissionsOf(userId: string): Promise<Submission[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :doc)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":doc": "DOCUMENT#" },
  });
  return items.flatMap((item) => fromItem(item) ?? []).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function revealFields(s: Pick<Submission, "userId" | "submissionId" | "fullNameEnc" | "documentNumberEnc">) {
  return {
    fullName: await decryptField(s.fullNameEnc, fieldContext(s.userId, s.submissionId, "fullName")),
    documentNumber: await decryptField(s.documentNumberEnc, fieldContext(s.userId, s.submissionId, "documentNumber")),
  };
}
