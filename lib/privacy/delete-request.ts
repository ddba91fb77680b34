import { auditPut } from "#lib/audit/trail";
import type { ClientInfo } from "#lib/caller";
import { CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { lookupHash } from "#lib/crypto/fields";
import { type DeletionRecord, toDeletionItem } from "#lib/data/deletion";
import { guardKey } from "#lib/data/guard";
import { guardRelease } from "#lib/data/privacy";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { type UserRecord, userKey, userStatusIndex } from "#lib/data/user";
import { badRequest, conflict } from "#lib/errors";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";

// DELETE /me: the request half of an account deletion. The current password is checked like a
// sign-in (the attempt is claimed per account and IP first; a wrong one counts toward the
// lockout), then ONE transaction: the user becomes DELETING with a revocation mark (every token
// is refused on the next request: the auth layer accepts ACTIVE accounts only), the username,
// e-mail and phone guards are released (no login finds the account any more, and they can be
// registered again at once), the deletion record is put (PENDING) and the request is audited.
// The record's INSERT on the table stream starts the worker (lib/privacy/deletion.ts).

export async function requestDeletion(user: UserRecord, password: string, client: Pick<ClientInfo, "ip" | "requestId">): Promise<{ status: "DELETING"; requestedAt: string }> {
  await checkPassword(user.userId, password, client.ip);
  const now = new Date().toISOString();
  const record: DeletionRecord = { userId: user.userId, status: "PENDING", requestedAt: now, requestId: client.requestId, steps: {}, attempts: 0, updatedAt: now };
  const guards = [
    // The username guard as registration keys it (lib/identity/lookup.ts; usernames are normalised to trimmed lower case).
    guardKey("USERNAME", await lookupHash("USERNAME", user.username.trim().toLowerCase())),
    ...(user.emailHash ? [guardKey("EMAIL", user.emailHash)] : []),
    ...(user.phoneHash ? [guardKey("PHONE", user.phoneHash)] : []),
  ];
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: userKey(user.userId),
            UpdateExpression: "SET #status = :deleting, GSI1PK = :listing, tokensValidAfter = :after, updatedAt = :now REMOVE keptSessionId",
            ConditionExpression: "#status = :active",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":deleting": "DELETING",
              ":active": "ACTIVE",
              ":listing": userStatusIndex(user.userId, "DELETING", user.createdAt).GSI1PK,
              ":after": Date.now() + 1,
              ":now": now,
            },
          },
        },
        ...guards.map((key) => guardRelease(key, user.userId)),
        { Put: { TableName: tableName(), Item: toDeletionItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
        auditPut({ actorId: user.userId, action: "ACCOUNT_DELETION_REQUESTED", targetUserId: user.userId, requestId: client.requestId }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled) throw conflict("DELETION_IN_PROGRESS", "This account is already being deleted.");
    throw error;
  }
  return { status: "DELETING", requestedAt: now };
}

/** The current password, checked through Cognito under the sign-in throttle (the tokens it yields are revoked at once). */
async function checkPassword(userId: string, password: string, ip: string): Promise<void> {
  const claims = await claimPasswordAttempt(userId, ip);
  let refreshToken: string | undefined;
  try {
    refreshToken = (await passwordAuth(userId, password)).refreshToken;
  } catch (error) {
    if (error instanceof CredentialsRejected && error.reason === "INVALID") {
      await passwordAttemptFailed(claims);
      throw badRequest("CURRENT_PASSWORD_INCORRECT", "The current password is not correct.");
    }
    await passwordAttemptSettled(claims);
    throw error;
  }
  await passwordAttemptSettled(claims);
  if (refreshToken) await revokeRefreshToken(refreshToken);
}
