import type { ClientInfo } from "#lib/caller";
import { confirmCredentials } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { markLifecycleDue } from "#lib/data/lifecycle";
import { getUser, type UserRecord, userKey, userStatusIndex } from "#lib/data/user";
import { badRequest } from "#lib/errors";
import { checkCode, issueCode, issuePhantomCode, markCodeUsedItem } from "#lib/identity/codes";
import { loginGuardKey, resolveLogin } from "#lib/identity/lookup";
import { normaliseUsername } from "#lib/identity/rules";
import { limitPerIp } from "#lib/limits/per-ip";
import { preferredChannel } from "#lib/notify/channels";

// Verification of a new account, and its resend. Neither tells whether a login exists or in which
// state it is: an unknown or already verified login answers through a phantom code, with the same
// statuses, the same order of work and the same per-IP limits.

/** The guards of a verified account lose the expiry they had while it was pending. */
async function guardKeysOf(user: UserRecord) {
  return [
    await loginGuardKey("username", normaliseUsername(user.username)),
    ...(user.emailHash ? [{ PK: `UNIQUE#EMAIL#${user.emailHash}`, SK: "UNIQUE" }] : []),
    ...(user.phoneHash ? [{ PK: `UNIQUE#PHONE#${user.phoneHash}`, SK: "UNIQUE" }] : []),
  ];
}

/**
 * Confirms an account with its code. A repeated verify with the same code answers as the first did
 * (the used code is kept until it expires); a concurrent one too. Each try is claimed before the
 * comparison, so the 5 tries hold under any concurrency.
 */
export async function verify(login: string, code: string, client: Pick<ClientInfo, "ip">): Promise<{ status: "ACTIVE" }> {
  await limitPerIp("CODE_CHECK", client.ip);
  const { userId, loginHash } = await resolveLogin(login);
  const checked = await checkCode(userId ? { userId } : { loginHash }, "VERIFY", code, loginHash);
  if (checked.consumed || !userId) return { status: "ACTIVE" }; // (a phantom never matches: userId is set here)
  const user = await getUser(userId, true);
  if (user?.status === "ACTIVE") return { status: "ACTIVE" };
  if (user?.status !== "PENDING_VERIFICATION") throw badRequest("CODE_EXPIRED", "The code has expired; request a new one.");

  await confirmCredentials(userId);
  const now = new Date().toISOString();
  try {
    await transactWrite({
      TransactItems: [
        markCodeUsedItem(userId, "VERIFY", checked.codeHash),
        {
          Update: {
            TableName: config().tableName,
            Key: userKey(userId),
            UpdateExpression: "SET #status = :active, #verified = :true, GSI1PK = :gsi, updatedAt = :now REMOVE #ttl",
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status", "#verified": user.emailEnc ? "emailVerified" : "phoneVerified", "#ttl": "ttl" },
            ExpressionAttributeValues: { ":active": "ACTIVE", ":pending": "PENDING_VERIFICATION", ":true": true, ":gsi": userStatusIndex(userId, "ACTIVE", user.createdAt).GSI1PK, ":now": now },
          },
        },
        // The nightly lifecycle step evaluates it first the next night (it counts as NEW until then).
        markLifecycleDue(userId, now),
        // A verified account keeps its username, e-mail and phone: their guards no longer expire.
        ...(await guardKeysOf(user)).map((Key) => ({
          Update: { TableName: config().tableName, Key, UpdateExpression: "REMOVE #ttl", ConditionExpression: "userId = :u", ExpressionAttributeNames: { "#ttl": "ttl" }, ExpressionAttributeValues: { ":u": userId } },
        })),
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    if ((await getUser(userId, true))?.status === "ACTIVE") return { status: "ACTIVE" }; // a concurrent verify won
    throw badRequest("CODE_EXPIRED", "The code has expired; request a new one.");
  }
  return { status: "ACTIVE" };
}

/** Sends a new verification code to a pending account; any other login gets the same answer and cooldown, and nothing is sent. */
export async function resendVerification(login: string, client: Pick<ClientInfo, "ip">): Promise<void> {
  await limitPerIp("CODE_REQUEST", client.ip);
  const { userId, loginHash, guard } = await resolveLogin(login);
  const user = await getUser(userId ?? "-", false); // read for an unknown login too: the same work either way
  if (user?.status === "PENDING_VERIFICATION") await issueCode(user, "VERIFY", preferredChannel(user));
  else await issuePhantomCode(loginHash, guard, "VERIFY");
}
