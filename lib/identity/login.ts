import { randomUUID } from "node:crypto";
import type { ClientInfo } from "#lib/caller";
import { type CognitoTokens, CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { encryptField, lookupHash } from "#lib/crypto/fields";
import { toActivityItem } from "#lib/data/activity";
import { batchGet } from "#lib/data/batch";
import { deviceKey, fromDeviceItem, toDeviceItem } from "#lib/data/device";
import { fromNetworkItem, networkKey, toNetworkItem } from "#lib/data/network";
import { toRefreshItem } from "#lib/data/refresh";
import { toSessionItem } from "#lib/data/session";
import { toTokenItem } from "#lib/data/token";
import { type TransactItem, transactWrite } from "#lib/data/transactions";
import { fromUserItem, type UserRecord, userKey } from "#lib/data/user";
import { forbidden, unauthorized } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { newRefreshToken } from "#lib/identity/sessions";
import { asResponse, type TokenResponse, tokenRecordOf } from "#lib/identity/tokens";
import { mirrorGroups, mirrorPending } from "#lib/identity/group-mirror";
import { describeUserAgent, maskIp, networkOf } from "#lib/identity/user-agent";
import { claimPasswordAttempt, passwordAttemptFailed, passwordAttemptSettled, type SignInClaims } from "#lib/limits/sign-in";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

const invalidCredentials = () => unauthorized("The login or password is not correct.", "INVALID_CREDENTIALS");
const notVerified = () => forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");

/**
 * Signs in with a username, e-mail or phone and a password. The attempt is claimed (per account
 * and per IP) before Cognito checks the password, in parallel with reading the user, its device
 * and its network, so a burst of guesses gets at most the limit evaluated. Unknown logins count
 * under their hash and answer exactly like a wrong password.
 */
export async function login(loginName: string, password: string, client: ClientInfo): Promise<TokenResponse> {
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
  if (user.status !== "ACTIVE") {
    await passwordAttemptSettled(claims);
    if (tokens.refreshToken) await revokeRefreshToken(tokens.refreshToken);
    throw user.status === "SUSPENDED" ? forbidden("ACCOUNT_SUSPENDED", "This account is suspended.") : notVerified();
  }

  const device = fromDeviceItem(items[1]);
  const network = fromNetworkItem(items[2]);
  // A new browser or a new network is news to the owner (not the very first sign-in). The mail says
  // only what we derived: the browser and OS families and a masked network, never the raw header.
  const notice =
    (!device || !network) && user.lastLoginAt
      ? await queueMessage(user, preferredChannel(user), "NEW_DEVICE_LOGIN", { at: new Date().toISOString(), ...describeUserAgent(client.userAgent), network: maskIp(client.ip) })
      : undefined;
  const refreshToken = await recordLogin(user, tokens, client, { deviceHash, networkHash, deviceSeen: device?.firstSeenAt, networkSeen: network?.firstSeenAt }, notice, claims);
  if (mirrorPending(user)) await mirrorGroups(user); // a staff change Cognito missed: the next tokens carry it
  return asResponse({ ...tokens, refreshToken });
}

/**
 * Writes the session, its refresh-token lookup, the access-token record, device, network,
 * activity, last login and any notice in one transaction; gives the attempt's claims back.
 * Returns our refresh token (the client never sees Cognito's).
 */
async function recordLogin(
  user: UserRecord,
  tokens: CognitoTokens,
  client: ClientInfo,
  seen: { deviceHash: string; networkHash?: string; deviceSeen?: string; networkSeen?: string },
  notice: TransactItem | undefined,
  claims: SignInClaims,
): Promise<string> {
  const TableName = tableName();
  const { userId } = user;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const sessionId = randomUUID();
  const refresh = newRefreshToken();
  const cognitoRefreshEnc = tokens.refreshToken ? await encryptField(tokens.refreshToken, `${userId}:refresh`) : undefined;
  const token = tokenRecordOf(tokens.accessToken, sessionId, now);
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName, Item } });

  await Promise.all([
    transactWrite({
      TransactItems: [
        put(toSessionItem(userId, { sessionId, createdAt: now, refreshHash: refresh.hash, refreshGeneration: 0, cognitoRefreshEnc, ip: client.ip, userAgent: client.userAgent })),
        put(toRefreshItem(refresh.hash, { userId, sessionId }, now)),
        put(toTokenItem(userId, token.jti, token.record)),
        put(toDeviceItem(userId, seen.deviceHash, { userAgent: client.userAgent, firstSeenAt: seen.deviceSeen ?? at, lastSeenAt: at })),
        ...(seen.networkHash ? [put(toNetworkItem(userId, seen.networkHash, { firstSeenAt: seen.networkSeen ?? at, lastSeenAt: at }))] : []),
        put(toActivityItem(userId, sessionId.slice(0, 8), { at, type: "LOGIN", ip: client.ip, userAgent: client.userAgent, newDevice: !seen.deviceSeen || !seen.networkSeen })),
        {
          Update: {
            TableName,
            Key: userKey(userId),
            UpdateExpression: "SET lastLoginAt = :at",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":at": at },
          },
        },
        ...(notice ? [notice] : []),
      ],
    }),
    passwordAttemptSettled(claims),
  ]);
  return refresh.token;
}
