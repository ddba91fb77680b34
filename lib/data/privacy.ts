import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { applicationsByStatusPrefix, type ApplicationStatus } from "#lib/data/admin-application";
import { batchWrite, type Key } from "#lib/data/batch";
import { complaintKey } from "#lib/data/complaint";
import { entryKey } from "#lib/data/complaint-entry";
import { feedbackByUserPk } from "#lib/data/feedback";
import type { guardKey } from "#lib/data/guard";
import { STATUS_SHARDS, userPk } from "#lib/data/keys";
import { queryAll, queryAllShards } from "#lib/data/query";

// The table operations of the data export and the account deletion (lib/privacy/): every item of
// a user's partition (read page by page), the items about the user kept elsewhere (feedback by
// GSI3, admin applications), and the erasures. Every erasure is idempotent: run twice, it changes
// nothing the second time.

type Item = Record<string, unknown>;

/** Every item of the user's partition, following LastEvaluatedKey page by page. */
export const userPartition = (userId: string): Promise<Item[]> =>
  queryAll({ TableName: tableName(), KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": userPk(userId) } });

/** The user's feedback items (GSI3 `FEEDBACK_BY#<userId>`), oldest first. */
export const feedbackItemsOf = (userId: string): Promise<Item[]> =>
  queryAll({ TableName: tableName(), IndexName: "GSI3", KeyConditionExpression: "GSI3PK = :pk", ExpressionAttributeValues: { ":pk": feedbackByUserPk(userId) } });

const APPLICATION_STATUSES: ApplicationStatus[] = ["PENDING", "APPROVED", "REJECTED"];

/**
 * The user's admin applications. They have no per-user index (a user has at most a handful, and
 * all applications are few): the status listings' shards are read with a filter on the user.
 */
export async function applicationItemsOf(userId: string): Promise<Item[]> {
  const lists = await Promise.all(
    APPLICATION_STATUSES.map((status) =>
      queryAllShards(STATUS_SHARDS, (shard) => ({
        TableName: tableName(),
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        FilterExpression: "userId = :me",
        ExpressionAttributeValues: { ":pk": `${applicationsByStatusPrefix(status)}#${shard}`, ":me": userId },
      })),
    ),
  );
  return lists.flat();
}

/** Deletes items by key (25 per BatchWriteItem); absent ones count as deleted. */
export const deleteItems = (keys: Key[]) => batchWrite(keys.map((Key) => ({ DeleteRequest: { Key: { PK: Key.PK, SK: Key.SK } } })));

/** Deletes a uniqueness guard if the user still holds it (another holder's guard is left alone). Returns whether it was the user's. */
export async function releaseGuard(key: ReturnType<typeof guardKey>, userId: string): Promise<boolean> {
  try {
    await dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: key, ConditionExpression: "userId = :me", ExpressionAttributeValues: { ":me": userId } }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The guard items the request transaction deletes (username, e-mail, phone), if still the user's. */
export const guardRelease = (key: ReturnType<typeof guardKey>, userId: string) => ({
  Delete: { TableName: tableName(), Key: key, ConditionExpression: "attribute_not_exists(PK) OR userId = :me", ExpressionAttributeValues: { ":me": userId } },
});

export const ERASED = "[erased]";
export const DELETED_USER = "deleted-user";

/**
 * Anonymises the user's side of a complaint: as complainant, the party id, subject, description,
 * order reference and rating comment; as respondent, the party id. The version goes up, so a staff
 * write based on an earlier read fails (409 CHANGED_MEANWHILE) instead of restoring what was
 * erased. Returns false when the complaint is already anonymised for this role (nothing written).
 */
export async function anonymiseComplaint(complaintId: string, role: "FILED" | "AGAINST", userId: string, hasComment: boolean): Promise<boolean> {
  const filed = role === "FILED";
  const comment = filed && hasComment;
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: complaintKey(complaintId),
        UpdateExpression: filed
          ? `SET complainantId = :gone, subject = :erased, description = :erased, version = version + :one REMOVE orderRef${comment ? ", satisfaction.#comment" : ""}`
          : "SET respondentId = :gone, version = version + :one",
        ConditionExpression: filed ? "complainantId = :me" : "respondentId = :me",
        ...(comment ? { ExpressionAttributeNames: { "#comment": "comment" } } : {}),
        ExpressionAttributeValues: { ":gone": DELETED_USER, ":me": userId, ":one": 1, ...(filed ? { ":erased": ERASED } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Erases the text and author id of a timeline entry the user wrote (a message, a rating comment). */
export async function anonymiseEntry(complaintId: string, seq: number, hasBody: boolean): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: entryKey(complaintId, seq),
      UpdateExpression: hasBody ? "SET actorId = :gone, body = :erased" : "SET actorId = :gone",
      ConditionExpression: "attribute_exists(PK)",
      ExpressionAttributeValues: { ":gone": DELETED_USER, ...(hasBody ? { ":erased": ERASED } : {}) },
    }),
  );
}
