import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import type { ClientInfo } from "#lib/caller";
import { CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { decryptField, encryptField } from "#lib/crypto/fields";
import { routeLimitKey } from "#lib/data/throttle";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser, userKey } from "#lib/data/user";
import { badRequest, conflict, tooManyRequests } from "#lib/errors";
import { claim, failed, LimitReached, refund } from "#lib/limits/counter";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";
import { checkFactor, secretContext } from "#lib/mfa/factor";
import { newRecoveryCodes, recoveryCodeHash } from "#lib/mfa/recovery";
import { matchingStep, newTotpSecret, otpauthUri, qrCodeOf } from "#lib/mfa/totp";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// Enrolment in two-factor sign-in (TOTP): start (a secret, shown once, not active), confirm with
// a first code (then it is active, and ten recovery codes are shown once), disable (password and
// a current code). Each change is audited and mailed to the user.

type Caller = Pick<AuthContext, "user">;
const CONFIRM_TRIES = { max: 5, windowSeconds: 900, lockSeconds: 900, policy: "mfa-confirm" };

/** POST /me/mfa/totp: a new secret (replacing an unconfirmed one), its otpauth:// URI and QR code. */
export async function startEnrolment({ user }: Caller) {
  const secret = newTotpSecret();
  try {
    await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: userKey(user.userId),
        UpdateExpression: "SET mfaPending = :pending",
        ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(mfa)",
        ExpressionAttributeValues: { ":pending": { secretEnc: await encryptField(secret, secretContext(user.userId)), startedAt: new Date().toISOString() } },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw conflict("MFA_ALREADY_ENABLED", "Two-factor sign-in is on already; turn it off first to enrol another app.");
    throw error;
  }
  const uri = otpauthUri(secret, user.username);
  return { secret, otpauthUri: uri, qrCode: qrCodeOf(uri) };
}

/** POST /me/mfa/totp/confirm: the first code turns it on; the recovery codes are shown this once. */
export async function confirmEnrolment({ user: caller }: Caller, code: string, requestId: string) {
  const user = await getUser(caller.userId, true);
  if (user?.mfa) throw conflict("MFA_ALREADY_ENABLED", "Two-factor sign-in is on already.");
  if (!user?.mfaPending) throw conflict("MFA_NOT_STARTED", "Start with POST /me/mfa/totp, add the secret to the app, then confirm a code.");
  const attempt = await claimConfirmTry(user.userId);
  const secret = await decryptField(user.mfaPending.secretEnc, secretContext(user.userId));
  const step = matchingStep(secret, code);
  if (step === undefined) {
    await failed(attempt);
    throw badRequest("CODE_MISMATCH", "The code is not right; check the app's clock and try the current code.");
  }
  await refund(attempt);
  const codes = newRecoveryCodes();
  const at = new Date().toISOString();
  const mfa = { secretEnc: user.mfaPending.secretEnc, enabledAt: at, lastStep: step, recoveryHashes: new Set(await Promise.all(codes.map((c) => recoveryCodeHash(user.userId, c)))) };
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: userKey(user.userId),
            UpdateExpression: "SET mfa = :mfa REMOVE mfaPending",
            ConditionExpression: "attribute_not_exists(mfa) AND mfaPending.secretEnc = :enc",
            ExpressionAttributeValues: { ":mfa": mfa, ":enc": user.mfaPending.secretEnc },
          },
        },
        auditPut({ actorId: user.userId, action: "MFA_ENABLED", targetUserId: user.userId, requestId, details: { method: "TOTP" } }),
        await queueMessage(user, preferredChannel(user), "MFA_ENABLED", { at }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) throw conflict("CHANGED_MEANWHILE", "The enrolment changed meanwhile (started again, or confirmed elsewhere).");
    throw error;
  }
  return { recoveryCodes: codes };
}

async function claimConfirmTry(userId: string) {
  try {
    return await claim(routeLimitKey("MFA_CONFIRM", userId), CONFIRM_TRIES);
  } catch (error) {
    if (error instanceof LimitReached) throw tooManyRequests("TOO_MANY_ATTEMPTS", "Too many wrong codes; try again later.", error.retryAfterSeconds);
    throw error;
  }
}

/**
 * DELETE /me/mfa: needs the password and a current code (a TOTP or a recovery code). The password
 * try counts towards the account's lockout like a sign-in, so this is no password oracle.
 */
export async function disableMfa({ user: caller }: Caller, password: string, code: string, client: ClientInfo) {
  const user = await getUser(caller.userId, true);
  if (!user?.mfa) throw conflict("MFA_NOT_ENABLED", "Two-factor sign-in is not on.");
  const claims = await claimPasswordAttempt(user.userId, client.ip);
  try {
    const tokens = await passwordAuth(user.userId, password);
    if (tokens.refreshToken) await revokeRefreshToken(tokens.refreshToken); // only the password was being checked
  } catch (error) {
    if (error instanceof CredentialsRejected) {
      await passwordAttemptFailed(claims);
      throw badRequest("CURRENT_PASSWORD_INCORRECT", "The password is not correct.");
    }
    await passwordAttemptSettled(claims);
    throw error;
  }
  if (!(await checkFactor(user.userId, user.mfa, code))) {
    await passwordAttemptFailed(claims);
    throw badRequest("CODE_MISMATCH", "The code is not right (or was used already).");
  }
  await passwordAttemptSettled(claims);
  const at = new Date().toISOString();
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: userKey(user.userId),
            UpdateExpression: "REMOVE mfa, mfaPending",
            ConditionExpression: "mfa.secretEnc = :enc",
            ExpressionAttributeValues: { ":enc": user.mfa.secretEnc },
          },
        },
        auditPut({ actorId: user.userId, action: "MFA_DISABLED", targetUserId: user.userId, requestId: client.requestId }),
        await queueMessage(user, preferredChannel(user), "MFA_DISABLED", { at }),
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) return; // turned off meanwhile: the goal is reached
    throw error;
  }
}
