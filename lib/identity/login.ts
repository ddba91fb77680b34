import type { ClientInfo } from "#lib/caller";
import { type CognitoTokens, CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { lookupHash } from "#lib/crypto/fields";
import { batchGet } from "#lib/data/batch";
import { deviceKey, fromDeviceItem } from "#lib/data/device";
import { fromNetworkItem, networkKey } from "#lib/data/network";
import { fromUserItem, userKey } from "#lib/data/user";
import { forbidden, unauthorized } from "#lib/errors";
import { mirrorGroups, mirrorPending } from "#lib/identity/group-mirror";
import { resolveLogin } from "#lib/identity/lookup";
import { newDeviceNotice, recordSignIn, type SeenFrom } from "#lib/identity/sign-in-record";
import { asResponse, type TokenResponse } from "#lib/identity/tokens";
import { networkOf } from "#lib/identity/user-agent";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled } from "#lib/limits/sign-in";
import { type MfaChallenge, openChallenge } from "#lib/identity/mfa-challenge";

const invalidCredentials = () => unauthorized("The login or password is not correct.", "INVALID_CREDENTIALS");
const notVerified = () => forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");
const resetRequired = () =>
  forbidden("PASSWORD_RESET_REQUIRED", "Set a new password before signing in: ask for a code with POST /auth/password/forgot, then POST /auth/password/reset.");

/**
 * Signs in with a username, e-mail or phone and a password. The attempt is claimed (per account
 * and per IP) before Cognito checks the password, in parallel with reading the user, its device
 * and its network, so a burst of guesses gets at most the limit evaluated. Unknown logins count
 * under their hash and answer exactly like a wrong password.
 */
export async function login(loginName: string, password: string, client: ClientInfo): Promise<TokenResponse | MfaChallenge> {
  const { userId, loginHash } = await resolveLogin(loginName);
  const deviceHash = userId ? await lookupHash("DEVICE", `${userId}:${client.userAgent}`) : "";
  // An address we cannot parse is never "known": it gets no network item and counts as new.
  const clientNetwork = networkOf(client.ip);
  const networkHash = userId && clientNetwork ? await lookupHash("NETWORK", `${userId}:${clientNetwork}`) : undefined;
  const [claims, items] = await Promise.all([
    claimPasswordAttempt(userId ?? loginHash, client.ip),
    userId ? batchGet([userKey(userId), deviceKey(userId, deviceHash), ...(networkHash ? [networkKey(userId, networkHash)] : [])]) : Promise.resolve([]),
  ]);
  const user = fromUserItem(items[0]);
  if (!userId || !user || user.status === "DELETED") {
    await passwordAttemptFailed(claims);
    throw invalidCredentials();
  }

  let tokens: CognitoTokens;
  try {
    tokens = await passwordAuth(userId, password);
  } catch (error) {
    if (error instanceof CredentialsRejected && error.reason === "INVALID") {
      await passwordAttemptFailed(claims);
      throw invalidCredentials();
    }
    await passwordAttemptSettled(claims); // not a wrong password: unconfirmed, or Cognito unavailable
    if (error instanceof CredentialsRejected) throw notVerified();
    throw error;
  }
  if (user.status !== "ACTIVE" || user.passwordResetRequired) {
    await passwordAttemptSettled(claims);
    if (tokens.refreshToken) await revokeRefreshToken(tokens.refreshToken);
    if (user.status === "ACTIVE") throw resetRequired(); // an incident's measure: the password may be known to others
    throw user.status === "SUSPENDED" ? forbidden("ACCOUNT_SUSPENDED", "This account is suspended.") : notVerified();
  }

  const device = fromDeviceItem(items[1]);
  const network = fromNetworkItem(items[2]);
  const seen: SeenFrom = { deviceHash, networkHash, deviceSeen: device?.firstSeenAt, networkSeen: network?.firstSeenAt };
  if (user.mfa) {
    // The password was right (its claims go back); the tokens wait for the second factor, and so
    // do the sign-in record and the new-device mail.
    await passwordAttemptSettled(claims);
    return openChallenge(user, tokens, seen);
  }
  const notice = await newDeviceNotice(user, client, seen);
  const [refreshToken] = await Promise.all([recordSignIn(user, tokens, client, seen, { notice }), passwordAttemptSettled(claims)]);
  if (mirrorPending(user)) await mirrorGroups(user); // a staff change Cognito missed: the next tokens carry it
  return asResponse({ ...tokens, refreshToken });
}

