import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf, shardOf, userPk } from "#lib/data/keys";
import { queryAll } from "#lib/data/query";

// Identity-document submissions: one item per submission in its owner's partition. Full name and
// document number are stored only encrypted (bound to owner, submission and field); the number's
// keyed hash is what the duplicate guard compares. GSI2 finds a submission by id alone; GSI1 is
// the review queue by status, sharded.

export type DocumentType = "ID_CARD" | "PASSPORT" | "DRIVER_LICENSE";
export type SubmissionStatus = "AWAITING_UPLOAD" | "PENDING_REVIEW" | "APPROVED" | "REJECTED";
export type FileKind = "FRONT" | "BACK" | "SELFIE";
export type ContentType = "image/jpeg" | "image/png" | "application/pdf";

export interface StoredFile {
  kind: FileKind;
  contentType: ContentType;
  size: number;
  /** The upload: `documents/<userId>/<submissionId>/<kind>`: ids only, never PII. */
  key: string;
  /** Set at submit: the checked copy, under a prefix no upload URL addresses; what staff see and decide on. */
  submittedKey?: string;
  /** ETag (hash) of the submitted copy, pinning the bytes that were checked. */
  etag?: string;
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

export const ENTITY = "DOCUMENT";
const PREFIX = "DOCUMENT#";

export const submissionKey = (userId: string, submissionId: string) => ({ PK: userPk(userId), SK: `${PREFIX}${submissionId}` });
/** Staff find a submission by id alone through this sparse GSI2 entry. */
export const submissionByIdIndex = (submissionId: string) => ({ GSI2PK: `SUBMISSION#${submissionId}`, GSI2SK: "SUBMISSION" });
/** Review queue by status, spread over STATUS_SHARDS partitions; oldest first within a shard. */
export const reviewQueueIndex = (submissionId: string, status: string, submittedAt: string) => ({
  GSI1PK: `${reviewQueuePrefix(status)}#${shardOf(submissionId)}`,
  GSI1SK: `${submittedAt}#${submissionId}`,
});
export const reviewQueuePrefix = (status: string) => `REVIEWS#${status}`;

// Uploads land under documents/ (writable through presigned PUTs); at submit they are copied to
// submitted/, which only the submit function can write, one folder per attempt so two racing
// submits never overwrite each other's copies.
export const objectPrefix = (userId: string) => `documents/${userId}/`;
export const objectKey = (userId: string, submissionId: string, kind: FileKind) => `${objectPrefix(userId)}${submissionId}/${kind}`;
export const submittedPrefix = (userId: string) => `submitted/${userId}/`;
export const submittedObjectKey = (userId: string, submissionId: string, attemptId: string, kind: FileKind) =>
  `${submittedPrefix(userId)}${submissionId}/${attemptId}/${kind}`;
/** Every prefix holding a user's images (for deleting the account). */
export const objectPrefixes = (userId: string) => [objectPrefix(userId), submittedPrefix(userId)];
export const fieldContext = (userId: string, submissionId: string, field: "fullName" | "documentNumber") =>
  `${userId}:document:${submissionId}:${field}`;

export function fromSubmissionItem(item: Record<string, unknown> | undefined): Submission | undefined {
  return item?.entity === ENTITY ? (fieldsOf(item) as unknown as Submission) : undefined;
}

export function toSubmissionItem(submission: Submission) {
  return {
    ...submissionKey(submission.userId, submission.submissionId),
    ...submissionByIdIndex(submission.submissionId),
    entity: ENTITY,
    ...submission,
  };
}

export async function getSubmission(userId: string, submissionId: string): Promise<Submission | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: submissionKey(userId, submissionId), ConsistentRead: true }));
  return fromSubmissionItem(out.Item);
}

/** Staff know only the id: the sparse GSI2 entry gives the key, then a consistent read. */
export async function findSubmission(submissionId: string): Promise<Submission | undefined> {
  const index = submissionByIdIndex(submissionId);
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "GSI2",
      KeyConditionExpression: "GSI2PK = :pk AND GSI2SK = :sk",
      ExpressionAttributeValues: { ":pk": index.GSI2PK, ":sk": index.GSI2SK },
      Limit: 1,
    }),
  );
  const key = out.Items?.[0];
  const userId = typeof key?.PK === "string" ? key.PK.slice("USER#".length) : undefined;
  return userId ? getSubmission(userId, submissionId) : undefined;
}

/** The user's submissions, newest first. */
export async function listSubmissionsOf(userId: string): Promise<Submission[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :doc)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":doc": PREFIX },
  });
  return items.flatMap((item) => fromSubmissionItem(item) ?? []).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

// One submission in review per user: this item is taken in the submit transaction (only if
// absent) and released in the decision's. An automatic rejection never takes it.
const SLOT_ENTITY = "REVIEW_SLOT";
export const reviewSlotKey = (userId: string) => ({ PK: userPk(userId), SK: SLOT_ENTITY });

/** The submission holding the user's review slot, if any. */
export async function reviewSlotHolder(userId: string): Promise<string | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: reviewSlotKey(userId), ConsistentRead: true }));
  return typeof out.Item?.submissionId === "string" ? out.Item.submissionId : undefined;
}

export const takeReviewSlot = (userId: string, submissionId: string, at: string) => ({
  Put: {
    TableName: tableName(),
    Item: { ...reviewSlotKey(userId), entity: SLOT_ENTITY, submissionId, takenAt: at },
    ConditionExpression: "attribute_not_exists(PK)",
  },
});

/** For changes allowed only while no submission of the user is in review. */
export const reviewSlotFree = (userId: string) => ({
  ConditionCheck: { TableName: tableName(), Key: reviewSlotKey(userId), ConditionExpression: "attribute_not_exists(PK)" },
});

/** Releases the slot if this submission holds it (or nobody does: submissions from before the slot). */
export const releaseReviewSlot = (userId: string, submissionId: string) => ({
  Delete: {
    TableName: tableName(),
    Key: reviewSlotKey(userId),
    ConditionExpression: "attribute_not_exists(PK) OR submissionId = :id",
    ExpressionAttributeValues: { ":id": submissionId },
  },
});
