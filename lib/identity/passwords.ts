import { CredentialsRejected, changePassword as changeCognitoPassword, setPassword, signOutEverywhere } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { codeKey } from "#lib/data/code";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, getUser, type UserRecord, userKey } from "#lib/data/user";
import type { AppError } from "#lib/errors";
import { badRequest, validationFailed } from "#lib/errors";
import { checkCode, consumeCodeItem, issueCode } from "#lib/identity/codes";
import { resolveLogin } from "#lib/identity/lookup";
import { passwordProblems } from "#lib/identity/rules";
import { revokeAllSessions } from "#lib/identity/sessions";
import { clearAccount, recordFailure, throttleKeys } from "#lib/identity/throttle";
import { type Channel, preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

/**
 * Sends a reset code over the channel of the login given (username: e-mail if the user has one).
 * Always silent about whether the account exists; a request within the cooldown sends nothing.
 */
export async function forgotPassword(login: string): Promise<void> {
  const { userId, kind } = await resolveLogin(login);
  const user = userId ? await getUser(userId) : undefined;
  if (user?.status !== "ACTIVE") return;
  const channel: Channel = kind === "phone" || !user.emailEnc ? "SMS" : "EMAIL";
  try {
    await issueCode(user, "RESET", channel);
  } catch (error) {
    if ((error as AppError).code === "RESEND_COOLDOWN") return;
    throw error;
  }
}

/** Sets a new password with a reset code; every session of the user ends. */
export async function resetPassword(login: string, code: string, newPassword: string): Promise<void> {
  const { userId } = await resolveLogin(login);
  const [userItem, stored] = userId ? await batchGet([userKey(userId), codeKey(userId, "RESET")], { consistent: true }) : [];
  const user = fromUserItem(userItem);
  if (!user || !userId || user.status !== "ACTIVE") throw badRequest("CODE_MISMATCH", "The code is not correct.", { attemptsRemaining: 0 });
  assertPolicy(newPassword, user, "body.newPassword");
  const { codeHash } = await checkCode(userId, "RESET", code, { item: stored });

  await setPassword(userId, newPassword);
  try {
    await transactWrite({
      TransactItems: [
        consumeCodeItem(userId, "RESET", codeHash),
        await queueMessage(user, preferredChannel(user), "PASSWORD_CHANGED", { at: new Date().toISOString() }),
        {
          Update: {
            TableName: config().tableName,
            Key: userKey(userId),
            UpdateExpression: "SET tokensValidAfter = :now, updatedAt = :iso REMOVE keptSessionId",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":now": Date.now() + 1, ":iso": new Date().toISOString() },
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled) throw badRequest("CODE_EXPIRED", "There is no valid code; request a new one.");
    throw error;
  }
  await signOutEverywhere(userId);
  // A proven owner is not locked out of the account they just recovered.
  await clearAccount(userId);
}

/** Changes the password of a signed-in user; by default every other session ends. */
export async function changePassword(
  auth: { user: UserRecord; accessToken: string; sessionId: string },
  input: { currentPassword: string; newPassword: string; signOutOtherDevices?: boolean },
  ip: string,
): Promise<void> {
  assertPolicy(input.newPassword, auth.user, "body.newPassword");
  if (input.newPassword === input.currentPassword) {
    throw validationFailed([{ path: "body.newPassword", message: "The new password must differ from the current one." }]);
  }
  try {
    await changeCognitoPassword(auth.accessToken, input.currentPassword, input.newPassword);
  } catch (error) {
    if (!(error instanceof CredentialsRejected)) throw error;
    // Guessing the current password through this route counts like failed sign-ins.
    await recordFailure(await throttleKeys(auth.user.userId, ip));
    throw badRequest("CURRENT_PASSWORD_INCORRECT", "The current password is not correct.");
  }
  const notice = await queueMessage(auth.user, preferredChannel(auth.user), "PASSWORD_CHANGED", { at: new Date().toISOString() });
  if (input.signOutOtherDevices ?? true) await revokeAllSessions(auth.user.userId, auth.sessionId, [notice]);
  else await transactWrite({ TransactItems: [notice] });
}

function assertPolicy(password: string, user: UserRecord, path: string) {
  const problems = passwordProblems(password, user.username, path);
  if (problems.length > 0) throw validationFailed(problems, "The password does not meet the policy.");
}
