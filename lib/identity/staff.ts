import { randomUUID } from "node:crypto";
import { STAFF_GROUPS } from "#lib/auth/permissions";
import { createStaffCredentials, deleteCredentials } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { type UserRecord, userItem } from "#lib/data/users";
import { badRequest, conflict, validationFailed } from "#lib/errors";
import { guardKey, uniquenessClaim } from "#lib/identity/lookup";
import { normaliseEmail, normaliseUsername, passwordProblems } from "#lib/identity/rules";

/**
 * Creates a verified staff account (there are no default accounts anywhere). Same uniqueness
 * guards as registration; Cognito groups carry the staff roles.
 */
export async function createStaffAccount(input: { username: string; email: string; password: string; groups: string[] }) {
  const unknown = input.groups.filter((g) => !(STAFF_GROUPS as readonly string[]).includes(g));
  if (input.groups.length === 0 || unknown.length > 0) {
    throw badRequest("INVALID_GROUPS", `Groups must be some of ${STAFF_GROUPS.join(", ")}.`);
  }
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw validationFailed(problems, problems.map((p) => p.message).join(" "));

  const userId = randomUUID();
  const email = normaliseEmail(input.email);
  const now = new Date().toISOString();
  const user: UserRecord = {
    userId,
    username: input.username,
    displayName: input.username,
    emailEnc: await encryptField(email, `${userId}:email`),
    emailHash: await lookupHash("EMAIL", email),
    emailVerified: true,
    status: "ACTIVE",
    level: input.groups.includes("admin") ? "ADMIN" : "NEWBIE",
    identityStatus: "NONE",
    creditScore: 600,
    creditTier: "FAIR",
    points: 0,
    consent: { privacyPolicyVersion: config().privacyPolicyVersion, at: now },
    createdAt: now,
    updatedAt: now,
  };
  const guards = [await guardKey("username", normaliseUsername(input.username)), await guardKey("email", email)];
  await createStaffCredentials(userId, input.password, input.groups);
  try {
    await transactWrite({ TransactItems: uniquenessClaim(userItem(user), guards, userId) });
  } catch (error) {
    await deleteCredentials(userId);
    if (error instanceof TransactionCancelled) throw conflict("ACCOUNT_EXISTS", "An account with this username or email already exists.");
    throw error;
  }
  return { userId, username: input.username, groups: input.groups };
}
