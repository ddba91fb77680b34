import { randomUUID } from "node:crypto";
import { type CognitoTokens, CredentialsRejected, passwordAuth, revokeRefreshToken } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { digest, encryptField, lookupHash } from "#lib/crypto/fields";
import { keys, ttlAfter } from "#lib/data/keys";
import { transactWrite } from "#lib/data/transactions";
import { fromUserItem, type UserRecord } from "#lib/data/users";
import { forbidden, unauthorized } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { asResponse, type ClientMeta, type TokenResponse, tokenItem } from "#lib/identity/sessions";
import { assertNotLocked, clearAccount, recordFailure, throttleKeys } from "#lib/identity/throttle";
import { messages } from "#lib/notify/messages";
import { deliver } from "#lib/notify/notify";

const ACTIVITY_TTL_SECONDS = 180 * 24 * 3600;
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

const invalidCredentials = () => unauthorized("The login or password is not correct.", "INVALID_CREDENTIALS");

export async function login(loginName: string, password: string, client: ClientMeta): Promise<TokenResponse> {
  const { userId, loginHash } = await resolveLogin(loginName);
  const throttle = await throttleKeys(userId ?? loginHash, client.ip);
  const deviceHash = userId ? await lookupHash("DEVICE", `${userId}:${client.userAgent}`) : "";
  const { items, accountHasFailures } = await assertNotLocked(throttle, userId ? [keys.user(userId), keys.device(userId, deviceHash)] : []);
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

  const device = items[1] as { firstSeenAt?: string } | undefined;
  const newDevice = !device;
  await Promise.all([
    recordLogin(user, tokens, client, deviceHash, device?.firstSeenAt),
    accountHasFailures ? clearAccount(userId) : undefined,
  ]);
  // The first device of an account is not news; any later new one is mailed to the owner.
  if (newDevice && user.lastLoginAt) {
    await deliver(user, user.emailEnc ? "EMAIL" : "SMS", messages.newDeviceLogin(new Date().toISOString(), client.ip, client.userAgent));
  }
  return asResponse(tokens);
}

/** Writes the session, its refresh-token lookup, the access-token record, device, activity and last login in one transaction. */
async function recordLogin(
  user: UserRecord,
  tokens: CognitoTokens,
  client: ClientMeta,
  deviceHash: string,
  firstSeenAt: string | undefined,
) {
  const TableName = tableName();
  const now = Date.now();
  const at = new Date(now).toISOString();
  const sessionId = randomUUID();
  const newDevice = firstSeenAt === undefined;
  const refreshHash = tokens.refreshToken ? digest(tokens.refreshToken) : undefined;

  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName,
          Item: {
            ...keys.session(user.userId, sessionId),
            type: "SESSION",
            sessionId,
            createdAt: now,
            refreshHash,
            refreshTokenEnc: tokens.refreshToken ? await encryptField(tokens.refreshToken, `${user.userId}:refresh`) : undefined,
            ip: client.ip,
            userAgent: client.userAgent,
            ttl: ttlAfter(SESSION_TTL_SECONDS, now),
          },
        },
      },
      ...(refreshHash
        ? [
            {
              Put: {
                TableName,
                Item: {
                  ...keys.refresh(refreshHash),
                  type: "REFRESH",
                  userId: user.userId,
                  sessionId,
                  ttl: ttlAfter(SESSION_TTL_SECONDS, now),
                },
              },
            },
          ]
        : []),
      { Put: { TableName, Item: tokenItem(user.userId, sessionId, tokens.accessToken, now) } },
      {
        Put: {
          TableName,
          Item: {
            ...keys.device(user.userId, deviceHash),
            type: "DEVICE",
            userAgent: client.userAgent,
            firstSeenAt: firstSeenAt ?? at,
            lastSeenAt: at,
          },
        },
      },
      {
        Put: {
          TableName,
          Item: {
            ...keys.activity(user.userId, at, sessionId.slice(0, 8)),
            type: "ACTIVITY",
            activity: "LOGIN",
            at,
            ip: client.ip,
            userAgent: client.userAgent,
            newDevice,
            ttl: ttlAfter(ACTIVITY_TTL_SECONDS, now),
          },
        },
      },
      {
        Update: {
          TableName,
          Key: keys.user(user.userId),
          UpdateExpression: "SET lastLoginAt = :at",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":at": at },
        },
      },
    ],
  });
}
