import { confirmCredentials, createCredentials } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { codeKey } from "#lib/data/code";
import { claimWithGuards, type guardKey } from "#lib/data/guard";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, getUser, toUserItem, userKey, userStatusIndex } from "#lib/data/user";
import { badRequest, conflict, serviceUnavailable, validationFailed } from "#lib/errors";
import { checkCode, codeMessage, consumeCodeItem, issueCode, newCode, newCodeItem } from "#lib/identity/codes";
import { loginGuardKey, resolveLogin } from "#lib/identity/lookup";
import { newUserRecord } from "#lib/identity/new-user";
import { normaliseEmail, normalisePhone, normaliseUsername, passwordProblems } from "#lib/identity/rules";
import { logger } from "#lib/logger";
import { type Channel, preferredChannel } from "#lib/notify/channels";
import { maskEmail, maskPhone } from "#lib/privacy/masks";

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
  verification: { channel: Channel; destination: string };
}

/**
 * Registers a user. Uniqueness of username, email and phone is claimed atomically with the user
 * item and the first code (one transaction), so of N parallel registrations of one email exactly
 * one wins; the code's message is queued in the same transaction (the outbox), so a mail outage
 * delays the code but loses nothing. The password then goes to Cognito; if that fails the claim
 * is rolled back.
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

  const email = input.email ? normaliseEmail(input.email) : undefined;
  const phone = input.phone ? normalisePhone(input.phone) : undefined;
  const now = new Date();
  const user = await newUserRecord({
    username: input.username.trim(),
    displayName: input.displayName?.trim(),
    email,
    phone,
    status: "PENDING_VERIFICATION",
    consentVersion: input.consent.privacyPolicyVersion,
    now,
  });
  const { userId } = user;
  const guards = [
    await loginGuardKey("username", normaliseUsername(input.username)),
    ...(email ? [await loginGuardKey("email", email)] : []),
    ...(phone ? [await loginGuardKey("phone", phone)] : []),
  ];
  const channel = preferredChannel(user);
  const code = newCode();
  const claim = claimWithGuards(toUserItem(user), guards, userId);
  const message = await codeMessage(user, "VERIFY", channel, code, now.getTime());

  try {
    await transactWrite({
      TransactItems: [
        ...claim,
        { Put: { TableName: c.tableName, Item: await newCodeItem(userId, "VERIFY", code, channel, now.getTime()) } },
        message,
      ],
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
    await releaseClaim(userId, guards, { PK: message.Put.Item.PK, SK: message.Put.Item.SK }).catch((e) => logger.error("claim release failed", { userId, errorName: (e as Error).name }));
    throw serviceUnavailable("We could not create the account right now; try again.");
  }

  return {
    userId,
    status: "PENDING_VERIFICATION",
    verification: { channel, destination: channel === "EMAIL" ? maskEmail(email ?? "") : maskPhone(phone ?? "") },
  };
}

/** Undoes the claim, the code and (if the sender has not taken it yet) its message. */
async function releaseClaim(userId: string, guards: ReturnType<typeof guardKey>[], message: { PK: string; SK: string }) {
  const tableName = config().tableName;
  await transactWrite({
    TransactItems: [
      { Delete: { TableName: tableName, Key: userKey(userId) } },
      { Delete: { TableName: tableName, Key: codeKey(userId, "VERIFY") } },
      { Delete: { TableName: tableName, Key: message } },
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
  const [userItem, stored] = await batchGet([userKey(userId), codeKey(userId, "VERIFY")], { consistent: true });
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
            Key: userKey(userId),
            UpdateExpression: "SET #status = :active, #verified = :true, GSI1PK = :gsi, updatedAt = :now",
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status", "#verified": verifiedField },
            ExpressionAttributeValues: {
              ":active": "ACTIVE",
              ":pending": "PENDING_VERIFICATION",
              ":true": true,
              ":gsi": userStatusIndex(userId, "ACTIVE", user.createdAt).GSI1PK,
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
  await issueCode(user, "VERIFY", preferredChannel(user));
}
