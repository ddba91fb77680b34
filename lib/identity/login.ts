import { randomUUID } from "node:crypto";
import type { ClientInfo } from "#lib/caller";
import { type CognitoTokens, CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { digest, encryptField, lookupHash } from "#lib/crypto/fields";
import { toActivityItem } from "#lib/data/activity";
import { deviceKey, fromDeviceItem, toDeviceItem } from "#lib/data/device";
import { toRefreshItem } from "#lib/data/refresh";
import { toSessionItem } from "#lib/data/session";
import { toTokenItem } from "#lib/data/token";
import { type TransactItem, transactWrite } from "#lib/data/transactions";
import { fromUserItem, type UserRecord, userKey } from "#lib/data/user";
import { forbidden, unauthorized } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { asResponse, type TokenResponse, tokenRecordOf } from "#lib/identity/tokens";
import { assertNotLocked, clearAccount, recordFailure, throttleKeys } from "#lib/identity/throttle";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

const invalidCredentials = () => unauthorized("The login or password is not correct.", "INVALID_CREDENTIALS");

export async function login(loginName: string, password: string, client: ClientInfo): Promise<TokenResponse> {
  const { userId, loginHash } = await resolveLogin(loginName);
  const throttle = await throttleKeys(userId ?? loginHash, client.ip);
  const deviceHash = userId ? await lookupHash("DEVICE", `${userId}:${client.userAgent}`) : "";
  const { items, accountHasFailures } = await assertNotLocked(throttle, userId ? [userKey(userId), deviceKey(userId, deviceHash)] : []);
  const user = fromUserItem(items[0]);
  if (!userId || !user || user.status === "DELETED") {
    await recordFailure(throttle);
    throw invalidCredentials();
  }

  let tokens: CognitoTokens;
  try {
    tokens = await passwordAuth(userId, password);
  } catch (error) {
    if (!(error instanceof CredentialsRejected)) throw error;
    if (error.reason === "NOT_CONFIRMED") throw forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");
    await recordFailure(throttle);
    throw invalidCredentials();
  }
  if (user.status === "PENDING_VERIFICATION") throw forbidden("ACCOUNT_NOT_VERIFIED", "Verify the account with the code we sent first.");
  if (user.status === "SUSPENDED") {
    if (tokens.refreshToken) await revokeRefreshToken(tokens.refreshToken);
    throw forbidden("ACCOUNT_SUSPENDED", "This account is suspended.");
  }

  const device = fromDeviceItem(items[1]);
  // The first device of an account is not news; any later new one is mailed to the owner.
  const notice =
    !device && user.lastLoginAt
      ? await queueMessage(user, preferredChannel(user), "NEW_DEVICE_LOGIN", { at: new Date().toISOString(), ip: client.ip, userAgent: client.userAgent })
      : undefined;
  await Promise.all([recordLogin(user, tokens, client, deviceHash, device?.firstSeenAt, notice), accountHasFailures ? clearAccount(userId) : undefined]);
  return asResponse(tokens);
}

/** Writes the session, its refresh-token lookup, the access-token record, device, activity, last login and any notice in one transaction. */
async function recordLogin(
  user: UserRecord,
  tokens: CognitoTokens,
  client: ClientInfo,
  deviceHash: string,
  firstSeenAt: string | undefined,
  notice: TransactItem | undefined,
) {
  const TableName = tableName();
  const { userId } = user;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const sessionId = randomUUID();
  const refreshHash = tokens.refreshToken ? digest(tokens.refreshToken) : undefined;
  const refreshTokenEnc = tokens.refreshToken ? await encryptField(tokens.refreshToken, `${userId}:refresh`) : undefined;
  const token = tokenRecordOf(tokens.accessToken, sessionId, now);
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName, Item } });

  await transactWrite({
    TransactItems: [
      put(toSessionItem(userId, { sessionId, createdAt: now, refreshHash, refreshTokenEnc, ip: client.ip, userAgent: client.userAgent })),
      ...(refreshHash ? [put(toRefreshItem(refreshHash, { userId, sessionId }, now))] : []),
      put(toTokenItem(userId, token.jti, token.record)),
      put(toDeviceItem(userId, deviceHash, { userAgent: client.userAgent, firstSeenAt: firstSeenAt ?? at, lastSeenAt: at })),
      put(toActivityItem(userId, sessionId.slice(0, 8), { at, type: "LOGIN", ip: client.ip, userAgent: client.userAgent, newDevice: firstSeenAt === undefined })),
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
  });
}
