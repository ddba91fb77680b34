import { toAuditItem } from "#lib/data/audit-entry";
import { CognitoError, deleteCredentials } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { deleteObjectsUnder } from "#lib/clients/s3";
import type { Key } from "#lib/data/batch";
import { readCase } from "#lib/data/complaint-entry";
import type { DeletionStep } from "#lib/data/deletion";
import { guardKey } from "#lib/data/guard";
import { anonymiseComplaint, anonymiseEntry, applicationItemsOf, DELETED_USER, deleteItems, ERASED, feedbackItemsOf, releaseGuard, userPartition } from "#lib/data/privacy";
import { refreshKey } from "#lib/data/refresh";
import { objectPrefixes } from "#lib/data/submission";
import { throttleKey } from "#lib/data/throttle";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser, userKey, userStatusIndex } from "#lib/data/user";

// The steps of an account deletion, each idempotent (run again, it finds nothing left to do and
// changes nothing), so a deletion interrupted anywhere is finished by running it again. What is
// erased and what is kept (README "Privacy: export and deletion"):
// - erased: the Cognito user; the document guards, images and submissions; the user's feedback and
//   admin applications; every item of the user's partition but the ledger (profile, sessions,
//   tokens, devices, networks, activity, codes, consents, credit data, messages, links, limits);
// - anonymised: complaints (the user's id, and as complainant the texts; the user's messages);
//   the user item, which stays as a tombstone (status DELETED, no PII) so the rest of the system
//   knows the id is gone and the balance still equals the kept ledger;
// - kept: ledger entries (amounts, types, dates), audit entries, incident targets.

type Item = Record<string, unknown>;
type Counts = Record<string, number>;

const keyOf = (item: Item): Key => ({ PK: String(item.PK), SK: String(item.SK) });
const entity = (item: Item) => String(item.entity);

async function credentials(userId: string): Promise<Counts> {
  try {
    await deleteCredentials(userId);
    return { deleted: 1 };
  } catch (error) {
    if (error instanceof CognitoError && error.name === "UserNotFoundException") return { deleted: 0 };
    throw error;
  }
}

async function documentGuards(userId: string): Promise<Counts> {
  const hashes = new Set((await userPartition(userId)).filter((i) => entity(i) === "DOCUMENT" && typeof i.documentHash === "string").map((i) => String(i.documentHash)));
  let released = 0;
  for (const hash of hashes) if (await releaseGuard(guardKey("DOCUMENT", hash), userId)) released++;
  return { released };
}

async function documentImages(userId: string): Promise<Counts> {
  let deleted = 0;
  for (const prefix of objectPrefixes(userId)) deleted += await deleteObjectsUnder(prefix);
  return { deleted };
}

async function complaints(userId: string): Promise<Counts> {
  const links = (await userPartition(userId)).filter((i) => entity(i) === "COMPLAINT_LINK");
  const counts = { complaints: 0, entries: 0 };
  for (const link of links) {
    const complaintId = String(link.complaintId);
    const { complaint, entries } = await readCase(complaintId);
    if (!complaint) continue;
    for (const entry of entries.filter((e) => e.actorId === userId)) {
      await anonymiseEntry(complaintId, entry.seq, entry.body !== undefined && entry.body !== ERASED);
      counts.entries++;
    }
    if (await anonymiseComplaint(complaintId, link.role === "FILED" ? "FILED" : "AGAINST", userId, complaint.satisfaction?.comment !== undefined)) counts.complaints++;
  }
  return counts;
}

async function feedback(userId: string): Promise<Counts> {
  const items = await feedbackItemsOf(userId);
  await deleteItems(items.map(keyOf));
  return { deleted: items.length };
}

async function adminApplications(userId: string): Promise<Counts> {
  const items = await applicationItemsOf(userId);
  await deleteItems(items.map(keyOf));
  return { deleted: items.length };
}

/** Every item of the partition but the user item (the next step) and the ledger; the sessions' refresh lookups and the sign-in counter too. */
async function partition(userId: string): Promise<Counts> {
  const items = await userPartition(userId);
  const erase = items.filter((i) => i.SK !== "PROFILE" && entity(i) !== "REWARD_ENTRY");
  const lookups = erase.filter((i) => entity(i) === "SESSION" && typeof i.refreshHash === "string").map((i) => refreshKey(String(i.refreshHash)));
  await deleteItems([...lookups, throttleKey("ACCOUNT", userId)]);
  await deleteItems(erase.map(keyOf));
  return { deleted: erase.length, kept: items.length - erase.length - 1 };
}

/** The user item becomes a tombstone without PII (status DELETED), with the audit entry of the deletion, once. */
async function account(userId: string): Promise<Counts> {
  const user = await getUser(userId, true);
  if (!user || user.status === "DELETED") return { tombstone: 0 };
  const now = new Date().toISOString();
  const tombstone = {
    ...userKey(userId),
    ...userStatusIndex(userId, "DELETED", user.createdAt),
    entity: "USER",
    userId,
    username: DELETED_USER,
    status: "DELETED",
    level: user.level,
    identityStatus: "NONE",
    creditScore: user.creditScore,
    creditTier: user.creditTier,
    points: user.points,
    consent: { privacyPolicyVersion: "-", at: now },
    tokensValidAfter: Date.now(),
    createdAt: user.createdAt,
    updatedAt: now,
    deletedAt: now,
  };
  try {
    await transactWrite({
      TransactItems: [
        // Whatever the status became meanwhile (a staff or incident change of a DELETING account), the tombstone replaces it.
        { Put: { TableName: tableName(), Item: tombstone, ConditionExpression: "attribute_exists(PK) AND #status <> :deleted", ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":deleted": "DELETED" } } },
        { Put: { TableName: tableName(), Item: toAuditItem({ actorId: "system:deletion", action: "ACCOUNT_DELETED", targetUserId: userId, requestId: `deletion:${userId}` }), ConditionExpression: "attribute_not_exists(PK)" } },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled) return { tombstone: 0 }; // done meanwhile by another run
    throw error;
  }
  return { tombstone: 1 };
}

export const STEP_RUNNERS: Record<DeletionStep, (userId: string) => Promise<Counts>> = {
  credentials,
  "document-guards": documentGuards,
  "document-images": documentImages,
  complaints,
  feedback,
  "admin-applications": adminApplications,
  partition,
  account,
};
