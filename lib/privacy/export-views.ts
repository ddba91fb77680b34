import { decryptField } from "#lib/crypto/fields";
import { fieldContext } from "#lib/data/submission";
import type { UserRecord } from "#lib/data/user";
import { maskDocumentNumber } from "#lib/privacy/masks";

// What the data export shows of each kind of item: a whitelist per entity, so a field added to an
// item later stays out of the export until someone decides it belongs there. Never in it: keyed
// hashes, ciphertexts, token or code digests, the TOTP secret, recovery-code hashes, object keys,
// staff ids, other users' ids and anything of their contact data.

type Item = Record<string, unknown>;

const pick = (item: Item, fields: string[]) => Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : undefined);
const sizeOf = (set: unknown) => (set instanceof Set ? set.size : Array.isArray(set) ? set.length : 0);

/** The account: what the user gave (contact details decrypted: they are the user's own) and what we derived. */
export async function profileView(user: UserRecord) {
  return {
    ...pick(user as unknown as Item, [
      "userId",
      "username",
      "displayName",
      "emailVerified",
      "phoneVerified",
      "status",
      "level",
      "identityStatus",
      "creditScore",
      "creditTier",
      "creditComputedAt",
      "points",
      "groups",
      "permissionGrants",
      "permissionRevokes",
      "levelChangedAt",
      "profile",
      "lastLoginAt",
      "createdAt",
      "updatedAt",
    ]),
    ...(user.emailEnc ? { email: await decryptField(user.emailEnc, `${user.userId}:email`) } : {}),
    ...(user.phoneEnc ? { phone: await decryptField(user.phoneEnc, `${user.userId}:phone`) } : {}),
    ...(user.levelPin ? { levelPinned: { at: user.levelPin.at, ...(user.levelPin.until ? { until: user.levelPin.until } : {}) } } : {}),
    rewardsFrozen: sizeOf(user.rewardFreezes) > 0,
    ...(user.passwordResetRequired ? { passwordResetRequiredSince: user.passwordResetRequired.at } : {}),
    mfa: { enabled: user.mfa !== undefined, ...(user.mfa ? { enabledAt: user.mfa.enabledAt, recoveryCodesLeft: sizeOf(user.mfa.recoveryHashes) } : {}) },
  };
}

export const consentView = (i: Item) => pick(i, ["privacyPolicyVersion", "at", "channel"]);
export const activityView = (i: Item) => pick(i, ["at", "type", "ip", "userAgent", "newDevice"]);
export const deviceView = (i: Item) => pick(i, ["userAgent", "firstSeenAt", "lastSeenAt"]);
export const networkView = (i: Item) => pick(i, ["firstSeenAt", "lastSeenAt"]);
export const sessionView = (i: Item) => ({ ...pick(i, ["sessionId", "ip", "userAgent"]), createdAt: iso(i.createdAt), ...(i.revokedAt ? { revokedAt: iso(i.revokedAt) } : {}) });
export const creditHistoryView = (i: Item) => pick(i, ["at", "score", "tier", "factors", "reasonCodes"]);
export const behaviourEventView = (i: Item) => ({ ...pick(i, ["eventType", "occurredAt", "attributes", "receivedAt"]), eventId: String(i.SK).slice("CREDIT_EVENT#".length) });
export const ledgerView = (i: Item) => pick(i, ["entryId", "type", "points", "reason", "at", "requested", "achievementId", "itemId"]);
export const messageView = (i: Item) => pick(i, ["messageId", "channel", "template", "status", "createdAt", "deliveredAt"]);
export const feedbackView = (i: Item) => pick(i, ["feedbackId", "topic", "body", "rating", "createdAt"]);
export const applicationView = (i: Item) => pick(i, ["applicationId", "reason", "status", "createdAt", "decidedAt", "decisionReason"]);

/** A submission: what the user declared (the name in full, the number masked), its files' kinds and sizes and the decision; no images, keys or hashes. */
export async function documentView(i: Item) {
  const context = (field: "fullName" | "documentNumber") => fieldContext(String(i.userId), String(i.submissionId), field);
  const fullName = typeof i.fullNameEnc === "string" ? await decryptField(i.fullNameEnc, context("fullName")) : undefined;
  const number = typeof i.documentNumberEnc === "string" ? await decryptField(i.documentNumberEnc, context("documentNumber")) : undefined;
  return {
    ...pick(i, ["submissionId", "type", "status", "createdAt", "submittedAt", "decidedAt", "reasonCode", "reason"]),
    ...(fullName ? { fullName } : {}),
    ...(number ? { documentNumber: maskDocumentNumber(number) } : {}),
    files: ((i.files as Item[] | undefined) ?? []).map((f) => pick(f, ["kind", "contentType", "size"])),
  };
}
