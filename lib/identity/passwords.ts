import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import type { ClientInfo } from "#lib/caller";
import { CredentialsRejected, changePassword as changeCognitoPassword, setPassword } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { throttleKey } from "#lib/data/throttle";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser, updateUser, type UserRecord } from "#lib/data/user";
import { type AppError, badRequest, validationFailed } from "#lib/errors";
import { checkCode, consumeCodeItem, issueCode, issuePhantomCode } from "#lib/identity/codes";
import { resolveLogin } from "#lib/identity/lookup";
import { passwordProblems } from "#lib/identity/rules";
import { revokeAllSessions } from "#lib/identity/sessions";
import { limitPerIp } from "#lib/limits/per-ip";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";
import { type Channel, preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// Forgotten, reset and changed passwords. Forgot and reset answer the same, in the same order of
// work, whether the login exists or not (a phantom code stands in for a missing one).

function assertPolicy(password: string, username: string | undefined, path: string) {
  const problems = passwordProblems(password, username, path);
  if (problems.length > 0) throw validationFailed(problems, "The password does not meet the policy.");
}

/**
 * Sends a reset code over the channel of the login given (username: e-mail if the user has one).
 * Always 202, whether the account exists or not; a request within the cooldown sends nothing.
 */
export async function forgotPassword(login: string, client: Pick<ClientInfo, "ip">): Promise<void> {
  await limitPerIp("CODE_REQUEST", client.ip);
  const { userId, kind, loginHash, guard } = await resolveLogin(login);
  const user = await getUser(userId ?? "-"); // read for an unknown login too: the same work either way
  try {
    if (user?.status === "ACTIVE") {
      const channel: Channel = kind === "phone" || !user.emailEnc ? "SMS" : "EMAIL";
      await issueCode(user, "RESET", channel);
    } else {
      await issuePhantomCode(loginHash, guard, "RESET");
    }
  } catch (error) {
    if ((error as AppError).code !== "RESEND_COOLDOWN") throw error;
  }
}

/**
 * Sets a new password with a reset code. The checks that need no account come first; the code's
 * try is claimed before it is compared; the username rule is checked only once the code proved who
 * asks. The code is consumed (a conditional delete) BEFORE the password is set, so of two resets
 * with one code only one goes on. Then every session of the user ends and the user is told.
 */
export async function resetPassword(login: string, code: string, newPassword: string, client: Pick<ClientInfo, "ip">): Promise<void> {
  assertPolicy(newPassword, undefined, "body.newPassword");
  await limitPerIp("CODE_CHECK", client.ip);
  const { userId, loginHash } = await resolveLogin(login);
  const { codeHash } = await checkCode(userId ? { userId } : { loginHash }, "RESET", code, loginHash);
  const user = userId ? await getUser(userId, true) : undefined;
  if (!user || !userId || user.status !== "ACTIVE") throw badRequest("CODE_EXPIRED", "The code has expired; request a new one.");
  assertPolicy(newPassword, user.username, "body.newPassword");

  try {
    await transactWrite({ TransactItems: [consumeCodeItem(userId, "RESET", codeHash)] });
  } catch (error) {
    if (error instanceof TransactionCancelled) throw badRequest("CODE_EXPIRED", "The code has expired; request a new one.");
    throw error;
  }
  await setPassword(userId, newPassword);
  await revokeAllSessions(userId, undefined, [await queueMessage(user, preferredChannel(user), "PASSWORD_CHANGED", { at: new Date().toISOString() })]);
  // An incident required this reset (PASSWORD_RESET_REQUIRED at login): it is done.
  if (user.passwordResetRequired) await updateUser(userId, {}, { remove: ["passwordResetRequired"] });
  // The owner proved the account is theirs: they are not locked out of it.
  await dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: throttleKey("ACCOUNT", userId) }));
}

/**
 * Changes the password of a signed-in user; by default every other session ends. The current
 * password is checked like a sign-in: the attempt is claimed first and a wrong one counts toward
 * the account's lockout, so a stolen access token does not become a password oracle.
 */
export async function changePassword(
  auth: { user: UserRecord; accessToken: string; sessionId: string },
  input: { currentPassword: string; newPassword: string; signOutOtherDevices?: boolean },
  client: Pick<ClientInfo, "ip">,
): Promise<void> {
  assertPolicy(input.newPassword, auth.user.username, "body.newPassword");
  if (input.newPassword === input.currentPassword) {
    throw validationFailed([{ path: "body.newPassword", message: "The new password must differ from the current one." }]);
  }
  const claims = await claimPasswordAttempt(auth.user.userId, client.ip);
  try {
    await changeCognitoPassword(auth.accessToken, input.currentPassword, input.newPassword);
  } catch (error) {
    if (!(error instanceof CredentialsRejected)) {
      await passwordAttemptSettled(claims);
      throw error;
    }
    await passwordAttemptFailed(claims);
    throw badRequest("CURRENT_PASSWORD_INCORRECT", "The current password is not correct.");
  }
  await passwordAttemptSettled(claims);
  const notice = await queueMessage(auth.user, preferredChannel(auth.user), "PASSWORD_CHANGED", { at: new Date().toISOString() });
  if (input.signOutOtherDevices ?? true) await revokeAllSessions(auth.user.userId, auth.sessionId, [notice]);
  else await transactWrite({ TransactItems: [notice] });
}

