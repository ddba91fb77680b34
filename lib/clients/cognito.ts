import { signedFetch, withRetries } from "#lib/clients/aws-call";
import { config } from "#lib/config";
import { logger } from "#lib/logger";

// The only module that talks to Cognito. Cognito holds passwords and issues tokens; everything
// else about a user (status, verification, contact details) is ours, in DynamoDB.
//
// A lean adapter instead of @aws-sdk/client-cognito-identity-provider (≈ 50 KB per bundle): the
// user-facing actions (SignUp, InitiateAuth, ChangePassword, RevokeToken) are unsigned JSON calls,
// the Admin* ones are signed with SigV4 (lib/clients/sigv4.ts). Same wire protocol as the SDK.

const TARGET = "AWSCognitoIdentityProviderService";

export interface CognitoTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/** An error Cognito answered with; `name` is its type (NotAuthorizedException...). */
export class CognitoError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
  ) {
    super(`Cognito answered ${name} (HTTP ${status})`);
  }
}

export class CredentialsRejected extends Error {
  constructor(readonly reason: "INVALID" | "NOT_CONFIRMED") {
    super(reason);
  }
}

const endpoint = () => new URL(config().endpoints.cognito ?? `https://cognito-idp.${config().region}.amazonaws.com/`);

/** One Cognito action. Idempotent ones are retried when Cognito is unavailable (ChangePassword is not: a retry after a lost answer would fail on the old password). */
async function call<T = Record<string, unknown>>(action: string, input: Record<string, unknown>, options: { signed?: boolean; idempotent?: boolean } = {}): Promise<T> {
  return withRetries(async () => {
    const url = endpoint();
    const body = JSON.stringify(input);
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${TARGET}.${action}` };
    const response = options.signed
      ? await signedFetch("cognito-idp", url, { method: "POST", headers, body })
      : await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(config().awsTimeoutMs) });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(json.__type ?? response.headers.get("x-amzn-errortype") ?? "UnknownError");
      throw new CognitoError(type.split("#").pop()?.split(":")[0] ?? type, response.status);
    }
    return json as T;
  }, options.idempotent ?? true);
}

const errorName = (error: unknown) => (error as { name?: string })?.name ?? "";
const clientId = () => config().userPoolClientId;
const poolId = () => config().userPoolId;

/** Cognito usernames are our opaque user ids, so emails/phones never become Cognito identifiers. */
export async function createCredentials(userId: string, password: string): Promise<void> {
  try {
    await call("SignUp", { ClientId: clientId(), Username: userId, Password: password });
  } catch (error) {
    // The id is new for every registration: if it exists, an earlier attempt of this one got through.
    if (errorName(error) !== "UsernameExistsException") throw error;
  }
}

export async function confirmCredentials(userId: string): Promise<void> {
  try {
    await call("AdminConfirmSignUp", { UserPoolId: poolId(), Username: userId }, { signed: true });
  } catch (error) {
    // Already confirmed (a retried verification): the goal is reached.
    if (errorName(error) === "NotAuthorizedException") return;
    throw error;
  }
}

/** Staff accounts: created confirmed, with a permanent password and their groups, no invitation mail. */
export async function createStaffCredentials(userId: string, password: string, groups: string[]): Promise<void> {
  await call("AdminCreateUser", { UserPoolId: poolId(), Username: userId, MessageAction: "SUPPRESS" }, { signed: true });
  await setPassword(userId, password);
  for (const GroupName of groups) await call("AdminAddUserToGroup", { UserPoolId: poolId(), Username: userId, GroupName }, { signed: true });
}

export async function deleteCredentials(userId: string): Promise<void> {
  await call("AdminDeleteUser", { UserPoolId: poolId(), Username: userId }, { signed: true });
}

interface AuthResult {
  AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number };
}

export async function passwordAuth(userId: string, password: string): Promise<CognitoTokens> {
  try {
    const out = await call<AuthResult>("InitiateAuth", {
      ClientId: clientId(),
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: userId, PASSWORD: password },
    });
    return toTokens(out.AuthenticationResult);
  } catch (error) {
    const name = errorName(error);
    if (name === "UserNotConfirmedException") throw new CredentialsRejected("NOT_CONFIRMED");
    // cognito-local answers a wrong password with InvalidPasswordException, real Cognito with NotAuthorized.
    if (["NotAuthorizedException", "InvalidPasswordException", "UserNotFoundException"].includes(name)) {
      throw new CredentialsRejected("INVALID");
    }
    throw error;
  }
}

export async function refreshAuth(refreshToken: string): Promise<CognitoTokens> {
  try {
    const out = await call<AuthResult>("InitiateAuth", { ClientId: clientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: refreshToken } });
    return toTokens(out.AuthenticationResult);
  } catch (error) {
    if (["NotAuthorizedException", "UserNotFoundException"].includes(errorName(error))) throw new CredentialsRejected("INVALID");
    throw error;
  }
}

export async function setPassword(userId: string, password: string): Promise<void> {
  await call("AdminSetUserPassword", { UserPoolId: poolId(), Username: userId, Password: password, Permanent: true }, { signed: true });
}

export async function changePassword(accessToken: string, current: string, next: string): Promise<void> {
  try {
    await call("ChangePassword", { AccessToken: accessToken, PreviousPassword: current, ProposedPassword: next }, { idempotent: false });
  } catch (error) {
    if (["NotAuthorizedException", "InvalidPasswordException"].includes(errorName(error))) throw new CredentialsRejected("INVALID");
    throw error;
  }
}

/**
 * Revokes refresh tokens at Cognito too (defence in depth: our own session records already refuse
 * them). Best effort: cognito-local lacks global sign-out, and a failure here must not undo a logout.
 */
export async function revokeRefreshToken(refreshToken: string): Promise<void> {
  try {
    await call("RevokeToken", { ClientId: clientId(), Token: refreshToken });
  } catch (error) {
    logger.warn("cognito token revocation failed", { errorName: errorName(error) });
  }
}

export async function signOutEverywhere(userId: string): Promise<void> {
  try {
    await call("AdminUserGlobalSignOut", { UserPoolId: poolId(), Username: userId }, { signed: true });
  } catch (error) {
    if (!config().isLocal) logger.warn("cognito global sign-out failed", { errorName: errorName(error) });
  }
}

/**
 * Makes the user's Cognito groups exactly `groups` (the copy tokens carry; our user item is the
 * source of truth). Idempotent: reads the current groups, adds and removes the difference.
 */
export async function setCognitoGroups(userId: string, groups: readonly string[]): Promise<void> {
  const current = await call<{ Groups?: { GroupName?: string }[] }>("AdminListGroupsForUser", { UserPoolId: poolId(), Username: userId, Limit: 60 }, { signed: true });
  const have = new Set((current.Groups ?? []).map((g) => g.GroupName ?? ""));
  for (const GroupName of groups.filter((g) => !have.has(g))) await call("AdminAddUserToGroup", { UserPoolId: poolId(), Username: userId, GroupName }, { signed: true });
  for (const GroupName of [...have].filter((g) => g && !groups.includes(g))) await call("AdminRemoveUserFromGroup", { UserPoolId: poolId(), Username: userId, GroupName }, { signed: true });
}

function toTokens(result: AuthResult["AuthenticationResult"]): CognitoTokens {
  if (!result?.AccessToken || !result.IdToken) throw new Error("Cognito returned no tokens (challenge flows are not enabled)");
  return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken, expiresIn: result.ExpiresIn ?? 900 };
}
