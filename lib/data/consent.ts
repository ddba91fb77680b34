import { tableName } from "#lib/clients/dynamodb";
import { fieldsOf, userPk } from "#lib/data/keys";
import { queryAll } from "#lib/data/query";

// Consent records: one item per consent a user gave (policy version, when, through which channel),
// kept for the life of the account and returned in the data export. The user item holds the latest.

export const ENTITY = "CONSENT";
export type ConsentChannel = "APP" | "WEB" | "API";
export const CONSENT_CHANNELS = ["APP", "WEB", "API"] as const;

export interface ConsentRecord {
  privacyPolicyVersion: string;
  at: string;
  channel: ConsentChannel;
}

export const consentKey = (userId: string, at: string) => ({ PK: userPk(userId), SK: `CONSENT#${at}` });
export const toConsentItem = (userId: string, consent: ConsentRecord) => ({ ...consentKey(userId, consent.at), entity: ENTITY, userId, ...consent });

/** Every consent of a user, oldest first. */
export async function consentsOf(userId: string): Promise<ConsentRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :consent)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":consent": "CONSENT#" },
  });
  return items.map((item) => {
    const { userId: _u, ...consent } = fieldsOf(item);
    return consent as unknown as ConsentRecord;
  });
}
