import { randomBytes } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf } from "#lib/data/keys";

// A sign-in waiting for its second factor: the tokens Cognito issued, encrypted and bound to the
// challenge, for a few minutes. No session or token record exists until the factor is given, so
// those tokens open nothing in the meantime.

export const ENTITY = "MFA_CHALLENGE";

export interface MfaChallengeRecord {
  /** SHA-256 of the challenge id (the id itself is a bearer secret, never stored). */
  challengeHash: string;
  userId: string;
  /** The Cognito tokens, AES-GCM under `<userId>:mfa-challenge:<challengeId>`. */
  tokensEnc: string;
  /** Where the password step came from and what it found (device and network seen before). */
  seen: { deviceHash: string; networkHash?: string; deviceSeen?: string; networkSeen?: string };
  attempts: number;
  expiresAt: number;
}

/** 256 random bits: the challenge id is all that links the second step to the first. */
export const newChallengeId = () => randomBytes(32).toString("base64url");
export const challengeKey = (challengeHash: string) => ({ PK: `MFA_CHALLENGE#${challengeHash}`, SK: "MFA_CHALLENGE" });
export const challengeContext = (userId: string, challengeHash: string) => `${userId}:mfa-challenge:${challengeHash}`;

export const toChallengeItem = (c: MfaChallengeRecord) => ({ ...challengeKey(c.challengeHash), entity: ENTITY, ...c, ttl: Math.ceil(c.expiresAt / 1000) + 60 });
export const fromChallengeItem = (item: Record<string, unknown> | undefined) => (item?.entity === ENTITY ? (fieldsOf(item) as unknown as MfaChallengeRecord) : undefined);

export async function getChallenge(challengeHash: string): Promise<MfaChallengeRecord | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: challengeKey(challengeHash), ConsistentRead: true }));
  return fromChallengeItem(out.Item);
}
