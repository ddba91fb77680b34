import { STAFF_GROUPS } from "#lib/auth/permissions";
import { createStaffCredentials, deleteCredentials } from "#lib/clients/cognito";
import { encryptField } from "#lib/crypto/fields";
import { claimWithGuards } from "#lib/data/guard";
import { markLifecycleDue } from "#lib/data/lifecycle";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { toUserItem } from "#lib/data/user";
import { badRequest, conflict, validationFailed } from "#lib/errors";
import { loginGuardKey } from "#lib/identity/lookup";
import { newUserRecord } from "#lib/identity/new-user";
import { secretContext } from "#lib/mfa/factor";
import { newRecoveryCodes, recoveryCodeHash } from "#lib/mfa/recovery";
import { newTotpSecret, otpauthUri } from "#lib/mfa/totp";
import { normaliseEmail, normaliseUsername, passwordProblems } from "#lib/identity/rules";

/**
 * Creates a verified staff account (there are no default accounts anywhere). Same uniqueness
 * guards as registration. The groups live on the user item (what the auth layer reads) and are
 * mirrored to Cognito's groups.
 */
export async function createStaffAccount(input: { username: string; email: string; password: string; groups: string[]; mfa?: boolean }) {
  const unknown = input.groups.filter((g) => !(STAFF_GROUPS as readonly string[]).includes(g));
  if (input.groups.length === 0 || unknown.length > 0) {
    throw badRequest("INVALID_GROUPS", `Groups must be some of ${STAFF_GROUPS.join(", ")}.`);
  }
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw validationFailed(problems, problems.map((p) => p.message).join(" "));

  const email = normaliseEmail(input.email);
  const user = {
    ...(await newUserRecord({ username: input.username, email, status: "ACTIVE", level: input.groups.includes("admin") ? "ADMIN" : "NEWBIE", verified: true })),
    groups: [...new Set(input.groups)].sort(),
  };
  user.cognitoGroups = user.groups; // createStaffCredentials puts them there
  // Enrolled at creation (for local use: the secret and recovery codes are printed once).
  const secret = input.mfa ? newTotpSecret() : undefined;
  const recoveryCodes = input.mfa ? newRecoveryCodes() : [];
  if (secret) {
    user.mfa = {
      secretEnc: await encryptField(secret, secretContext(user.userId)),
      enabledAt: new Date().toISOString(),
      lastStep: 0,
      recoveryHashes: new Set(await Promise.all(recoveryCodes.map((c) => recoveryCodeHash(user.userId, c)))),
    };
  }
  const { userId } = user;
  const guards = [await loginGuardKey("username", normaliseUsername(input.username)), await loginGuardKey("email", email)];
  await createStaffCredentials(userId, input.password, input.groups);
  try {
    await transactWrite({ TransactItems: [...claimWithGuards(toUserItem(user), guards, userId), markLifecycleDue(userId, user.createdAt)] });
  } catch (error) {
    await deleteCredentials(userId);
    if (error instanceof TransactionCancelled) throw conflict("ACCOUNT_EXISTS", "An account with this username or email already exists.");
    throw error;
  }
  return { userId, username: input.username, groups: input.groups, ...(secret ? { mfa: { secret, otpauthUri: otpauthUri(secret, input.username), recoveryCodes } } : {}) };
}
