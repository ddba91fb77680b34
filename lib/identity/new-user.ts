import { randomUUID } from "node:crypto";
import { config } from "#lib/config";
import { NEW_USER_CREDIT } from "#lib/credit/entitlements";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import type { Level, UserRecord, UserStatus } from "#lib/data/user";

/** A new account's record: the one place where its defaults (level, credit, points, consent) are set. */
export async function newUserRecord(input: {
  username: string;
  displayName?: string;
  email?: string;
  phone?: string;
  status: UserStatus;
  level?: Level;
  verified?: boolean;
  consentVersion?: string;
  consentChannel?: "APP" | "WEB" | "API";
  now?: Date;
}): Promise<UserRecord> {
  const userId = randomUUID();
  const now = (input.now ?? new Date()).toISOString();
  const { email, phone } = input;
  return {
    userId,
    username: input.username,
    displayName: input.displayName || input.username,
    emailEnc: email ? await encryptField(email, `${userId}:email`) : undefined,
    emailHash: email ? await lookupHash("EMAIL", email) : undefined,
    emailVerified: email ? (input.verified ?? false) : undefined,
    phoneEnc: phone ? await encryptField(phone, `${userId}:phone`) : undefined,
    phoneHash: phone ? await lookupHash("PHONE", phone) : undefined,
    phoneVerified: phone ? (input.verified ?? false) : undefined,
    status: input.status,
    level: input.level ?? "NEWBIE",
    identityStatus: "NONE",
    creditScore: NEW_USER_CREDIT.score,
    creditTier: NEW_USER_CREDIT.tier,
    points: 0,
    consent: { privacyPolicyVersion: input.consentVersion ?? config().privacyPolicyVersion, at: now, channel: input.consentChannel ?? "API" },
    createdAt: now,
    updatedAt: now,
  };
}
