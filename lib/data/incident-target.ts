import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf } from "#lib/data/keys";
import { incidentPk } from "#lib/data/incident";

// One item per user an incident acts on (PK INCIDENT#<id>, SK USER#<userId>), in the incident's
// partition: written when the runbook selects its users, then each measure taken on the user is
// recorded on it (`effects.<name>`), in the same transaction as the measure, only if not recorded
// yet. So a measure is taken once however often a step runs, resolve lifts exactly what was
// recorded, and a breach notice's evidence (queued, delivered) is one Query away.

export const ENTITY = "INCIDENT_TARGET";
export const TARGET_PREFIX = "USER#";

export interface TargetEffect {
  at: string;
  /** What happened to the user: SUSPENDED, ALREADY_SUSPENDED, QUEUED, NO_CONTACT... */
  outcome: string;
  /** Notices: the outbox message, its channel, and what became of it. */
  messageId?: string;
  channel?: string;
  status?: string;
  deliveredAt?: string;
  settledAt?: string;
}

export interface IncidentTarget {
  incidentId: string;
  userId: string;
  selectedAt: string;
  effects: Record<string, TargetEffect>;
}

export type TargetKey = { PK: string; SK: string };

export const targetKey = (incidentId: string, userId: string): TargetKey => ({ PK: incidentPk(incidentId), SK: `${TARGET_PREFIX}${userId}` });

export const toTargetItem = (target: IncidentTarget) => ({ ...targetKey(target.incidentId, target.userId), entity: ENTITY, ...target });

export function fromTargetItem(item: Record<string, unknown> | undefined): IncidentTarget | undefined {
  if (item?.entity !== ENTITY) return undefined;
  return fieldsOf(item) as unknown as IncidentTarget;
}

/** One page of an incident's users in user-id order, after `start` (a target key). */
export async function targetsPage(incidentId: string, limit: number, start?: TargetKey): Promise<{ targets: IncidentTarget[]; last?: TargetKey }> {
  const out = await dynamodb.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": incidentPk(incidentId), ":prefix": TARGET_PREFIX },
      Limit: limit,
      ConsistentRead: true,
      ExclusiveStartKey: start,
    }),
  );
  const targets = (out.Items ?? []).flatMap((item) => fromTargetItem(item) ?? []);
  return { targets, last: out.LastEvaluatedKey as TargetKey | undefined };
}

/**
 * The transaction item that records a measure on a user's target item, only if it is not
 * recorded yet (its condition is what makes the measure happen once).
 */
export function recordTargetEffect(incidentId: string, userId: string, name: string, effect: TargetEffect) {
  return {
    Update: {
      TableName: tableName(),
      Key: targetKey(incidentId, userId),
      UpdateExpression: "SET effects.#name = :effect",
      ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(effects.#name)",
      ExpressionAttributeNames: { "#name": name },
      ExpressionAttributeValues: { ":effect": effect },
    },
  };
}
