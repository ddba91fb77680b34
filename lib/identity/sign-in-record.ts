import { randomUUID } from "node:crypto";
import type { ClientInfo } from "#lib/caller";
import type { CognitoTokens } from "#lib/clients/cognito";
import { tableName } from "#lib/clients/dynamodb";
import { encryptField } from "#lib/crypto/fields";
import { toActivityItem } from "#lib/data/activity";
import { toDeviceItem } from "#lib/data/device";
import { markLifecycleDue } from "#lib/data/lifecycle";
import { toNetworkItem } from "#lib/data/network";
import { toRefreshItem } from "#lib/data/refresh";
import { toSessionItem } from "#lib/data/session";
import { toTokenItem } from "#lib/data/token";
import { type TransactItem, transactWrite } from "#lib/data/transactions";
import { type UserRecord, userKey } from "#lib/data/user";
import { newRefreshToken } from "#lib/identity/sessions";
import { tokenRecordOf } from "#lib/identity/tokens";
import { describeUserAgent, maskIp } from "#lib/identity/user-agent";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// The end of every sign-in (password alone, or password then a second factor): the records that
// make Cognito's tokens usable, written at once.

/** Which device and network the sign-in comes from, and whether they were seen before. */
export interface SeenFrom {
  deviceHash: string;
  networkHash?: string;
  deviceSeen?: string;
  networkSeen?: string;
}

/**
 * A new browser or a new network is news to the owner (not on the very first sign-in). The mail
 * says only what we derived: browser and OS families and a masked network, never the raw header.
 */
export async function newDeviceNotice(user: UserRecord, client: ClientInfo, seen: SeenFrom): Promise<TransactItem | undefined> {
  if ((seen.deviceSeen && seen.networkSeen) || !user.lastLoginAt) return undefined;
  return queueMessage(user, preferredChannel(user), "NEW_DEVICE_LOGIN", { at: new Date().toISOString(), ...describeUserAgent(client.userAgent), network: maskIp(client.ip) });
}

/** More to change on the user item in the same write (the second factor's used step...), and other items. */
export interface SignInExtras {
  notice?: TransactItem;
  userSet?: string[];
  userRemove?: string[];
  /** A DELETE clause (removing elements from a set). */
  userDelete?: string;
  userCondition?: string;
  userNames?: Record<string, string>;
  userValues?: Record<string, unknown>;
  items?: TransactItem[];
}

/**
 * Writes the session, its refresh-token lookup, the access-token record, device, network,
 * activity, last login, any notice and the extras in one transaction. Returns our refresh token
 * (the client never sees Cognito's). Until this is written, the auth layer refuses the tokens.
 */
export async function recordSignIn(user: UserRecord, tokens: CognitoTokens, client: ClientInfo, seen: SeenFrom, extras: SignInExtras = {}): Promise<string> {
  const TableName = tableName();
  const { userId } = user;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const sessionId = randomUUID();
  const refresh = newRefreshToken();
  const cognitoRefreshEnc = tokens.refreshToken ? await encryptField(tokens.refreshToken, `${userId}:refresh`) : undefined;
  const token = tokenRecordOf(tokens.accessToken, sessionId, now);
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName, Item } });

  await transactWrite({
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
          UpdateExpression: [
            `SET ${["lastLoginAt = :at", ...(extras.userSet ?? [])].join(", ")}`,
            extras.userRemove?.length ? `REMOVE ${extras.userRemove.join(", ")}` : "",
            extras.userDelete ? `DELETE ${extras.userDelete}` : "",
          ]
            .filter(Boolean)
            .join(" "),
          ConditionExpression: ["attribute_exists(PK)", extras.userCondition].filter(Boolean).join(" AND "),
          ...(extras.userNames ? { ExpressionAttributeNames: extras.userNames } : {}),
          ExpressionAttributeValues: { ":at": at, ...extras.userValues },
        },
      },
      // A sign-in is activity: the nightly lifecycle step looks at the user again.
      markLifecycleDue(userId, at),
      ...(extras.notice ? [extras.notice] : []),
      ...(extras.items ?? []),
    ],
  });
  return refresh.token;
}
