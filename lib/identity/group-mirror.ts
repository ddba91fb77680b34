import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { setCognitoGroups } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { type UserRecord, userKey } from "#lib/data/user";
import { logger } from "#lib/logger";

// Staff groups live on our user item (the auth layer reads them there, so a change acts on the
// next request). Cognito keeps a copy for the tokens it issues later. The item records both what is
// wanted (`groups`) and what was last copied (`cognitoGroups`), so a failed copy is never lost:
// the next change or sign-in of the user copies again.

const sorted = (groups: readonly string[] | undefined) => [...(groups ?? [])].sort();
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((g, i) => g === b[i]);

export const mirrorPending = (user: Pick<UserRecord, "groups" | "cognitoGroups">) => !same(sorted(user.groups), sorted(user.cognitoGroups));

/** Copies the user's groups to Cognito if they differ from the last copy. Best effort: logs and returns on failure. */
export async function mirrorGroups(user: Pick<UserRecord, "userId" | "groups" | "cognitoGroups">): Promise<void> {
  if (!mirrorPending(user)) return;
  const wanted = sorted(user.groups);
  try {
    await setCognitoGroups(user.userId, wanted);
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: userKey(user.userId),
        UpdateExpression: "SET cognitoGroups = :wanted",
        // Only if the wanted groups did not change meanwhile (that change mirrors itself).
        ConditionExpression: wanted.length === 0 ? "attribute_not_exists(#groups) OR size(#groups) = :zero" : "#groups = :wanted",
        ExpressionAttributeNames: { "#groups": "groups" },
        ExpressionAttributeValues: { ":wanted": wanted, ...(wanted.length === 0 ? { ":zero": 0 } : {}) },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return;
    logger.warn("groups not mirrored to Cognito; the next change or sign-in tries again", { userId: user.userId, errorName: (error as Error).name });
  }
}
