import { getIncident, ALL_INCIDENTS_PK, fromIncidentItem, type IncidentRecord, type IncidentStatus, incidentPk, incidentsByStatusPk, type StepRecord } from "#lib/data/incident";
import { fromTargetItem, TARGET_PREFIX } from "#lib/data/incident-target";
import { queryPage } from "#lib/data/query";
import { notFound } from "#lib/errors";

// What staff read about incidents: the listing (by status, or all, newest first), one incident
// with its steps in runbook order, timeline and report, and its users with the measures taken on
// each and a notice's evidence (queued, delivered). No PII: user ids only.

const summaryOf = (incident: IncidentRecord) => ({
  incidentId: incident.incidentId,
  type: incident.type,
  severity: incident.severity,
  status: incident.status,
  requestedBy: incident.requestedBy,
  receivedAt: incident.receivedAt,
  detectedAt: incident.detectedAt,
  ...(incident.authorityDeadline ? { authorityDeadline: incident.authorityDeadline } : {}),
  ...(incident.failure ? { failedStep: incident.failure.step } : {}),
  users: incident.userIds?.length ?? null,
  updatedAt: incident.updatedAt,
});

const stepsOf = (order: string[] = [], steps: Record<string, StepRecord> = {}) =>
  order.map((name) => {
    const step = steps[name];
    return {
      name,
      status: step?.status ?? "PENDING",
      at: step?.finishedAt ?? step?.lastRunAt ?? step?.startedAt ?? null,
      ...(step?.startedAt ? { startedAt: step.startedAt } : {}),
      ...(step?.finishedAt ? { finishedAt: step.finishedAt } : {}),
      failures: step?.totalFailures ?? 0,
      ...(step?.lastError ? { lastError: step.lastError } : {}),
      counts: step?.counts ?? {},
    };
  });

export async function listIncidents(status: IncidentStatus | undefined, limit: number, cursor?: string) {
  const [index, pk] = status ? ["GSI1", incidentsByStatusPk(status)] : ["GSI3", ALL_INCIDENTS_PK];
  const page = await queryPage(`incidents:${pk}`, { IndexName: index, KeyConditionExpression: `${index}PK = :pk`, ExpressionAttributeValues: { ":pk": pk }, ScanIndexForward: false }, limit, cursor);
  return { items: page.items.flatMap((item) => { const incident = fromIncidentItem(item); return incident ? [summaryOf(incident)] : []; }), nextCursor: page.nextCursor };
}

export async function incidentView(incidentId: string) {
  const incident = await getIncident(incidentId, false);
  if (!incident) throw notFound("No such incident.");
  return {
    ...summaryOf(incident),
    userIds: incident.userIds ?? [],
    details: incident.details,
    steps: stepsOf(incident.stepOrder, incident.steps),
    ...(incident.mitigatedAt ? { mitigatedAt: incident.mitigatedAt } : {}),
    ...(incident.failure ? { failure: incident.failure } : {}),
    effects: incident.effects,
    ...(incident.resolution ? { resolution: { ...incident.resolution, steps: stepsOf(incident.resolveStepOrder, incident.resolveSteps) } } : {}),
    ...(incident.report ? { report: incident.report } : {}),
    timeline: incident.timeline,
  };
}

/** GET /admin/incidents/{id}/users: the incident's users, a page at a time, with what was done to each. */
export async function incidentUsers(incidentId: string, limit: number, cursor?: string) {
  const page = await queryPage(
    `incident-users:${incidentId}`,
    { KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)", ExpressionAttributeValues: { ":pk": incidentPk(incidentId), ":prefix": TARGET_PREFIX } },
    limit,
    cursor,
  );
  if (page.items.length === 0 && !cursor && !(await getIncident(incidentId, false))) throw notFound("No such incident.");
  return {
    items: page.items.flatMap((item) => {
      const target = fromTargetItem(item);
      return target ? [{ userId: target.userId, selectedAt: target.selectedAt, measures: target.effects }] : [];
    }),
    nextCursor: page.nextCursor,
  };
}
