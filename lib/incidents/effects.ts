import { auditPut } from "#lib/audit/trail";
import { tableName } from "#lib/clients/dynamodb";
import { incidentAuditTarget, incidentKey } from "#lib/data/incident";
import { recordTargetEffect, type TargetEffect } from "#lib/data/incident-target";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { LeaseLost } from "#lib/incidents/records";
import type { StepContext } from "#lib/incidents/step";

// Each measure is taken exactly once, provably: its writes (the user item, an outbox message, the
// login policy...), its audit entry and the record of it (on the user's target item, or on the
// incident for incident-wide measures) are ONE transaction, conditional on the record not being
// there yet. A step run again finds the record and takes the measure no second time.

export type Applied = { applied: true; outcome: string } | { applied: false; outcome: string } | { conflict: number };

const auditOf = (context: StepContext, targetUserId: string, measure: string, details: Record<string, string | number | boolean>) =>
  auditPut({
    actorId: context.actor,
    action: `INCIDENT_${measure.toUpperCase().replace(/-/g, "_")}`,
    targetUserId,
    requestId: incidentAuditTarget(context.incident.incidentId),
    reason: context.phase === "resolve" ? (context.incident.resolution?.summary ?? context.incident.details.summary) : context.incident.details.summary,
    subject: incidentAuditTarget(context.incident.incidentId),
    details,
  });

/**
 * Takes `measure` on one user of the incident once: `items` (planned from the user as just read),
 * the audit entry and the record `effects.<measure>` on the user's target item. Answers
 * `applied: false` with the recorded outcome when it was taken before, and `conflict` with the index
 * of the item whose condition failed when the user changed since it was read (read it again).
 */
export async function applyToUser(context: StepContext, userId: string, measure: string, effect: Omit<TargetEffect, "at">, items: TransactItem[]): Promise<Applied> {
  const record = recordTargetEffect(context.incident.incidentId, userId, measure, { ...effect, at: new Date().toISOString() });
  try {
    await transactWrite({
      TransactItems: [
        { Update: { ...record.Update, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
        ...items,
        auditOf(context, userId, measure, { outcome: effect.outcome }),
      ],
    });
    return { applied: true, outcome: effect.outcome };
  } catch (error) {
    if (!(error instanceof TransactionCancelled) || error.failedAt() === -1) throw error;
    if (error.failedAt() > 0) return { conflict: error.failedAt() };
    const recorded = (error.items[0]?.effects as Record<string, TargetEffect> | undefined)?.[measure];
    if (!recorded) throw new Error(`incident ${context.incident.incidentId} has no target item for a user it acts on`);
    return { applied: false, outcome: recorded.outcome };
  }
}

/**
 * Takes an incident-wide measure once: `items`, the audit entry, and `effects.<measure>` on the
 * incident (with `alsoSet` attributes), under the lease. Answers whether it was taken now.
 */
export async function applyToIncident(
  context: StepContext,
  measure: string,
  outcome: string,
  items: TransactItem[],
  alsoSet: Record<string, unknown> = {},
  details: Record<string, string | number | boolean> = {},
): Promise<boolean> {
  const { incidentId } = context.incident;
  const { lease } = context;
  const names: Record<string, string> = { "#measure": measure };
  const values: Record<string, unknown> = { ":effect": { at: new Date().toISOString(), outcome }, ":me": lease.holder };
  const sets = Object.entries(alsoSet).map(([field, value], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: incidentKey(incidentId),
            UpdateExpression: `SET effects.#measure = :effect${sets.map((s) => `, ${s}`).join("")}`,
            ConditionExpression: "leaseHolder = :me AND attribute_not_exists(effects.#measure)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        ...items,
        auditOf(context, incidentAuditTarget(incidentId), measure, { outcome, ...details }),
      ],
    });
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCancelled) || error.failedAt() !== 0) throw error;
    const old = error.items[0];
    if (old?.leaseHolder !== lease.holder) throw new LeaseLost(incidentId);
    return false;
  }
}
