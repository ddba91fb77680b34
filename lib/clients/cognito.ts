import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { clientOptions } from "#lib/clients/aws";
import { config } from "#lib/config";
import { logger } from "#lib/logger";

// The only module that talks to Cognito. Cognito holds passwords and issues tokens; everything
// else about a user (status, verification, contact details) is ours, in DynamoDB.

export const cognito = new CognitoIdentityProviderClient(clientOptions(config().endpoints.cognito));

export interface CognitoTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export class CredentialsRejected extends Error {
  constructor(readonly reason: "INVALID" | "NOT_CONFIRMED") {
    super(reason);
  }
}

const errorName = (error: unknown) => (error as { name?: string })?.name ?? "";

/** Cognito usernames are our opaque user ids, so emails/phones never become Cognito identifiers. */
export async function createCredentials(userId: string, password: string): Promise<void> {
  await cognito.send(new SignUpCommand({ ClientId: config().userPoolClientId, Username: userId, Password: password }));
}

export async function confirmCredentials(userId: string): Promise<void> {
  try {
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: config().userPoolId, Username: userId }));
  } catch (error) {
    // Already confirmed (a retried verification): the goal is reached.
    if (errorName(error) === "NotAuthorizedException") return;
    throw error;
  }
}

/** Staff accounts: created confirmed, with a permanent password and their groups, no invitation mail. */
export async function createStaffCredentials(userId: string, password: string, groups: string[]): Promise<void> {
  const UserPoolId = config().userPoolId;
  await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: userId, MessageAction: "SUPPRESS" }));
  await setPassword(userId, password);
  for (const GroupName of groups) await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: userId, GroupName }));
}

export async function deleteCredentials(userId: string): Promise<void> {
  await cognito.send(new AdminDeleteUserCommand({ UserPoolId: config().userPoolId, Username: userId }));
}

export async function passwordAuth(userId: string, password: string): Promise<CognitoTokens> {
  try {
    const out = await cognito.send(
      new InitiateAuthCommand({
        ClientId: config().userPoolClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: userId, PASSWORD: password },
      }),
    );
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
    const out = await cognito.send(
      new InitiateAuthCommand({
        ClientId: config().userPoolClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    return toTokens(out.AuthenticationResult);
  } catch (error) {
    if (["NotAuthorizedException", "UserNotFoundException"].includes(errorName(error))) throw new CredentialsRejected("INVALID");
    throw error;
  }
}

export async function setPassword(userId: string, password: string): Promise<void> {
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: config().userPoolId, Username: userId, Password: password, Permanent: true }),
  );
}

export async function changePassword(accessToken: string, current: string, next: string): Promise<void> {
  try {
    await cognito.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: current, ProposedPassword: next }));
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
    await cognito.send(new RevokeTokenCommand({ ClientId: config().userPoolClientId, Token: refreshToken }));
  } catch (error) {
    logger.warn("cognito token revocation failed", { errorName: errorName(error) });
  }
}

export async function signOutEverywhere(userId: string): Promise<void> {
  try {
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: config().userPoolId, Username: userId }));
  } catch (error) {
    if (!config().isLocal) logger.warn("cognito global sign-out failed", { errorName: errorName(error) });
  }
}

function toTokens(
  result: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number } | undefined,
): CognitoTokens {
  if (!result?.AccessToken || !result.IdToken) throw new Error("Cognito returned no tokens (challenge flows are not enabled)");
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
    expiresIn: result.ExpiresIn ?? 900,
  };
}
