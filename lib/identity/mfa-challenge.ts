import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditPut } from "#lib/audit/trail";
import type { ClientInfo } from "#lib/caller";
import type { CognitoTokens } from "#lib/clients/cognito";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { decryptField, digest, encryptField } from "#lib/crypto/fields";
import { challengeContext, challengeKey, type MfaChallengeRecord, newChallengeId, toChallengeItem } from "#lib/data/mfa-challenge";
import { TransactionCancelled } from "#lib/data/transactions";
import { getUser, type UserRecord } from "#lib/data/user";
import { badRequest, tooManyRequests } from "#lib/errors";
import { mirrorGroups, mirrorPending } from "#lib/identity/group-mirror";
import { newDeviceNotice, recordSignIn, type SeenFrom } from "#lib/identity/sign-in-record";
import { asResponse, type TokenResponse } from "#lib/identity/tokens";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";
import { checkFactor, spendFactor } from "#lib/mfa/factor";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// The second step of a sign-in with two-factor authentication. The password step leaves the
// tokens Cognito issued here (encrypted, 5 minutes) and answers { mfaRequired, challengeId }; a
// right TOTP or recovery code hands them out, writing the session and token records then. A
// challenge allows 5 tries, and each wrong code also counts towards the account's lockout.

export const MFA_METHODS = ["TOTP", "RECOVERY_CODE"] as const;

export interface MfaChallenge {
  mfaRequired: true;
  challengeId: string;
  methods: typeof MFA_METHODS;
  expiresIn: number;
}

const expired = () => badRequest("CHALLENGE_EXPIRED", "The sign-in has expired or was ended; sign in again with the password.");

export async function openChallenge(user: UserRecord, tokens: CognitoTokens, seen: SeenFrom): Promise<MfaChallenge> {
  const { challengeSeconds } = config().mfa;
  const challengeId = newChallengeId();
  const challengeHash = digest(challengeId);
  const record: MfaChallengeRecord = {
    challengeHash,
    userId: user.userId,
    tokensEnc: await encryptField(JSON.stringify(tokens), challengeContext(user.userId, challengeHash)),
    seen,
    attempts: 0,
    expiresAt: Date.now() + challengeSeconds * 1000,
  };
  await dynamodb.send(new PutCommand({ TableName: tableName(), Item: toChallengeItem(record) }));
  return { mfaRequired: true, challengeId, methods: MFA_METHODS, expiresIn: challengeSeconds };
}

/** Takes one try of the challenge (5 at most, while it lives); the challenge as it was before. */
async function claimTry(challengeHash: string, now: number): Promise<MfaChallengeRecord> {
  try {
    const out = await dynamodb.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: challengeKey(challengeHash),
        UpdateExpression: "ADD attempts :one",
        ConditionExpression: "attribute_exists(PK) AND attempts < :max AND expiresAt > :now",
        ExpressionAttributeValues: { ":one": 1, ":max": config().mfa.challengeMaxAttempts, ":now": now },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return out.Attributes as MfaChallengeRecord;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const old = error.Item;
    if (old && Number(old.attempts?.N ?? 0) >= config().mfa.challengeMaxAttempts) {
      await endChallenge(challengeHash);
      throw tooManyRequests("TOO_MANY_ATTEMPTS", "Too many wrong codes; sign in again with the password.", 1);
    }
    throw expired();
  }
}

const endChallenge = (challengeHash: string) => dynamodb.send(new DeleteCommand({ TableName: tableName(), Key: challengeKey(challengeHash) }));

/** POST /auth/login/mfa: the tokens of the challenge for a right code; 400 CODE_MISMATCH (with attemptsRemaining) otherwise. */
export async function completeChallenge(challengeId: string, code: string, client: ClientInfo): Promise<TokenResponse> {
  const now = Date.now();
  const challengeHash = digest(challengeId);
  const challenge = await claimTry(challengeHash, now);
  const claims = await claimPasswordAttempt(challenge.userId, client.ip);
  const user = await getUser(challenge.userId, true);
  if (!user?.mfa || user.status !== "ACTIVE") {
    await Promise.all([passwordAttemptSettled(claims), endChallenge(challengeHash)]);
    throw expired();
  }
  const use = await checkFactor(user.userId, user.mfa, code, now);
  const remaining = config().mfa.challengeMaxAttempts - challenge.attempts;
  const mismatch = async () => {
    await Promise.all([passwordAttemptFailed(claims), remaining <= 0 ? endChallenge(challengeHash) : undefined]);
    return badRequest("CODE_MISMATCH", "The code is not right (or was used already).", { attemptsRemaining: Math.max(0, remaining) });
  };
  if (!use) throw await mismatch();

  const tokens = JSON.parse(await decryptField(challenge.tokensEnc, challengeContext(user.userId, challengeHash))) as CognitoTokens;
  const spend = spendFactor(use);
  const recoveryNotice =
    use.method === "RECOVERY_CODE"
      ? [
          auditPut({ actorId: user.userId, action: "MFA_RECOVERY_CODE_USED", targetUserId: user.userId, requestId: client.requestId, details: { left: (user.mfa.recoveryHashes?.size ?? 1) - 1 } }),
          await queueMessage(user, preferredChannel(user), "MFA_RECOVERY_CODE_USED", { at: new Date(now).toISOString(), left: String((user.mfa.recoveryHashes?.size ?? 1) - 1) }),
        ]
      : [];
  let refreshToken: string;
  try {
    refreshToken = await recordSignIn(user, tokens, client, challenge.seen, {
      notice: await newDeviceNotice(user, client, challenge.seen),
      userSet: spend.set,
      userDelete: "delete" in spend ? spend.delete : undefined,
      userCondition: spend.condition,
      userValues: spend.values,
      // The challenge is used up with the sign-in: a second request with it finds nothing.
      items: [{ Delete: { TableName: tableName(), Key: challengeKey(challengeHash), ConditionExpression: "attribute_exists(PK)" } }, ...recoveryNotice],
    });
  } catch (error) {
    // The code was spent (or the challenge used) by a parallel request in between: this one lost.
    if (error instanceof TransactionCancelled && error.failedAt() !== -1) throw await mismatch();
    await passwordAttemptSettled(claims);
    throw error;
  }
  await passwordAttemptSettled(claims);
  if (mirrorPending(user)) await mirrorGroups(user);
  return asResponse({ ...tokens, refreshToken });
}
