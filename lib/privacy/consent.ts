import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { type ConsentChannel, toConsentItem } from "#lib/data/consent";
import { transactWrite } from "#lib/data/transactions";
import { userKey } from "#lib/data/user";
import { badRequest } from "#lib/errors";

// Consent to the privacy policy: the user item keeps the latest, a CONSENT item keeps each one.

/** Whether the user must consent again (the current policy is newer than theirs): GET /me `consentRequired`. */
export const consentRequired = (user: { consent: { privacyPolicyVersion: string } }) => user.consent.privacyPolicyVersion !== config().privacyPolicyVersion;

/** POST /me/consent: records consent to the current policy version (another version → 400 naming the current one). */
export async function recordConsent(auth: Pick<AuthContext, "user">, privacyPolicyVersion: string, channel: ConsentChannel = "API") {
  const current = config().privacyPolicyVersion;
  if (privacyPolicyVersion !== current) {
    throw badRequest("CONSENT_OUTDATED", `Consent must be given to the current privacy policy version ${current}.`, { currentVersion: current });
  }
  const consent = { privacyPolicyVersion, at: new Date().toISOString(), channel };
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: tableName(),
          Key: userKey(auth.user.userId),
          UpdateExpression: "SET consent = :consent, updatedAt = :at",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":consent": consent, ":at": consent.at },
        },
      },
      { Put: { TableName: tableName(), Item: toConsentItem(auth.user.userId, consent) } },
    ],
  });
  return { ...consent, consentRequired: false };
}
