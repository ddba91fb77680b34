import type { IncidentRecord, StepRecord } from "#lib/data/incident";
import { applyToIncident } from "#lib/incidents/effects";
import type { RunbookStep } from "#lib/incidents/step";

// The post-incident report, written by the last step of every resolve: the summary ops gave, the
// times that matter (received, detected, mitigated, resolved, the authority deadline), and what
// each step did (its counts), so the incident is provable afterwards from one item.

const countsOf = (steps: Record<string, StepRecord> = {}) => Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, { status: step.status, ...step.counts }]));

export function reportOf(incident: IncidentRecord, resolvedAt: string) {
  return {
    summary: incident.resolution?.summary ?? "",
    type: incident.type,
    severity: incident.severity,
    requestedBy: incident.requestedBy,
    resolvedBy: incident.resolution?.requestedBy ?? "",
    receivedAt: incident.receivedAt,
    detectedAt: incident.detectedAt,
    ...(incident.authorityDeadline ? { authorityDeadline: incident.authorityDeadline } : {}),
    ...(incident.mitigatedAt ? { mitigatedAt: incident.mitigatedAt } : {}),
    ...(incident.failure ? { failure: incident.failure } : {}),
    resolvedAt,
    response: countsOf(incident.steps),
    recovery: countsOf(incident.resolveSteps),
  };
}

export const writeReport: RunbookStep = {
  name: "write-report",
  async run(context) {
    const report = reportOf(context.incident, new Date().toISOString());
    await applyToIncident(context, "write-report", "WRITTEN", [], { report });
    return { done: true, counts: { written: 1 } };
  },
};
