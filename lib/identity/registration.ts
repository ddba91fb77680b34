import { randomUUID } from "node:crypto";
import { confirmCredentials, createCredentials } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import { keys } from "#lib/data/keys";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { batchGet, fromUserItem, getUser, type UserRecord, userItem } from "#lib/data/users";
import { badRequest, conflict, serviceUnavailable, validationFailed } from "#lib/errors";
import { type Channel, checkCode, codeItem, consumeCodeItem, issueCode, newCode } from "#lib/identity/codes";
import { guardKey, resolveLogin, uniquenessClaim } from "#lib/identity/lookup";
import { maskEmail, maskPhone, normaliseEmail, normalisePhone, normaliseUsername, passwordProblems } from "#lib/identity/rules";
import { logger } from "#lib/logger";
import { messages } from "#lib/notify/messages";
import { deliver, preferredChannel } from "#lib/notify/notify";

export interface Registration {
  username: string;
  email?: string;
  phone?: string;
  password: string;
  displayName?: string;
  consent: { privacyPolicyVersion: string };
}

export interface RegistrationResult {
  userId: string;
  status: "PENDING_VERIFICATION";
  verification: { channel: Channel; destination: string; sent: boolean };
}

/**
 * Registers a user. Uniqueness of username, email and phone is claimed atomically with the user
 * item and the first code (one transaction), so of N parallel registrations of one email exactly
 * one wins. The password then goes to Cognito; if that fails the claim is rolled back. A mail
 * failure does not undo the registration: the user can ask for the code again.
 */
export async function register(input: Registration): Promise<RegistrationResult> {
  const c = config();
  if (input.consent.privacyPolicyVersion !== c.privacyPolicyVersion) {
    throw badRequest("CONSENT_OUTDATED", `Consent must be given to the current privacy policy version ${c.privacyPolicyVersion}.`, {
      currentVersion: c.privacyPolicyVersion,
    });
  }
  const problems = passwordProblems(input.password, input.username, "body.password");
  if (problems.length > 0) throw validationFailed(problems, "The password does not meet the policy.");

  const userId = randomUUID();
  const now = new Date();
  const email = input.email ? normaliseEmail(input.email) : undefined;
  const phone = input.phone ? normalisePhone(input.phone) : undefined;
  const user: UserRecord = {
    userId,
    username: input.username.trim(),
    displayName: input.displayName?.trim() || input.username.trim(),
    emailEnc: email ? await encryptField(email, `${userId}:email`) : undefined,
    emailHash: email ? await lookupHash("EMAIL", email) : undefined,
    emailVerified: email ? false : undefined,
    phoneEnc: phone ? await encryptField(phone, `${userId}:phone`) : undefined,
    phoneHash: phone ? await lookupHash("PHONE", phone) : undefined,
    phoneVerified: phone ? false : undefined,
    status: "PENDING_VERIFICATION",
    level: "NEWBIE",
    identityStatus: "NONE",
    creditScore: 600,
    creditTier: "FAIR",
    points: 0,
    consent: { privacyPolicyVersion: input.consent.privacyPolicyVersion, at: now.toISOString() },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const guards = [
    await guardKey("username", normaliseUsername(input.username)),
    ...(email ? [await guardKey("email", email)] : []),
    ...(phone ? [await guardKey("phone", phone)] : []),
  ];
  const channel = preferredChannel(user);
  const code = newCode();
  const claim = uniquenessClaim(userItem(user), guards, userId);

  try {
    await transactWrite({
      TransactItems: [...claim, { Put: { TableName: c.tableName, Item: await codeItem(userId, "VERIFY", code, channel, now.getTime()) } }],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled)
      throw conflict("ACCOUNT_EXISTS", "An account with this username, email or phone already exists.");
    throw error;
  }

  try {
    await createCredentials(userId, input.password);
  } catch (error) {
    logger.error("credential creation failed; releasing the claim", { userId, errorName: (error as Error).name });
    await releaseClaim(userId, guards).catch((e) => logger.error("claim release failed", { userId, errorName: (e as Error).name }));
    throw serviceUnavailable("We could not create the account right now; try again.");
  }

  const sent = await deliver(user, channel, messages.verificationCode(code));
  return {
    userId,
    status: "PENDING_VERIFICATION",
    verification: { channel, destination: channel === "EMAIL" ? maskEmail(email ?? "") : maskPhone(phone ?? ""), sent },
  };
}

async function releaseClaim(userId: string, guards: Record<string, string>[]) {
  const tableName = config().tableName;
  await transactWrite({
    TransactItems: [
      { Delete: { TableName: tableName, Key: keys.user(userId) } },
      { Delete: { TableName: tableName, Key: keys.code(userId, "VERIFY") } },
      ...guards.map((Key) => ({
        Delete: { TableName: tableName, Key, ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": userId } },
      })),
    ],
  });
}

/** Confirms the account with a code. Safe to retry: each step is idempotent. */
export async function verify(login: string, code: string): Promise<{ status: "ACTIVE" }> {
  const { userId } = await resolveLogin(login);
  if (!userId) throw badRequest("CODE_MISMATCH", "The code is not correct.", { attemptsRemaining: 0 });
  const [userItem, stored] = await batchGet([keys.user(userId), keys.code(userId, "VERIFY")], true);
  const user = fromUserItem(userItem);
  if (!user) throw badRequest("CODE_MISMATCH", "The code is not correct.", { attemptsRemaining: 0 });
  if (user.status !== "PENDING_VERIFICATION") throw badRequest("CODE_EXPIRED", "There is no valid code; request a new one.");
  const { codeHash } = await checkCode(userId, "VERIFY", code, { item: stored });

  await confirmCredentials(userId);
  const verifiedField = user.emailEnc ? "emailVerified" : "phoneVerified";
  try {
    await transactWrite({
      TransactItems: [
        consumeCodeItem(userId, "VERIFY", codeHash),
        {
          Update: {
            TableName: config().tableName,
            Key: keys.user(userId),
            UpdateExpression: "SET #status = :active, #verified = :true, GSI1PK = :gsi, updatedAt = :now",
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status", "#verified": verifiedField },
            ExpressionAttributeValues: {
              ":active": "ACTIVE",
              ":pending": "PENDING_VERIFICATION",
              ":true": true,
              ":gsi": keys.userStatusIndex(userId, "ACTIVE", user.createdAt).GSI1PK,
              ":now": new Date().toISOString(),
            },
          },
        },
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    const now = await getUser(userId, true);
    if (now?.status === "ACTIVE") return { status: "ACTIVE" }; // a concurrent verify won
    throw badRequest("CODE_EXPIRED", "There is no valid code; request a new one.");
  }
  return { status: "ACTIVE" };
}

/** Sends a new verification code; silent for unknown or already verified logins (no enumeration). */
export async function resendVerification(login: string): Promise<void> {
  const { userId } = await resolveLogin(login);
  const user = userId ? await getUser(userId) : undefined;
  if (user?.status !== "PENDING_VERIFICATION") return;
  const channel = preferredChannel(user);
  const code = await issueCode(user.userId, "VERIFY", channel);
  await deliver(user, channel, messages.verificationCode(code));
}
