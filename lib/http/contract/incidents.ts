import * as z from "zod/mini";
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES } from "#lib/data/incident-values";
import { DATA_CATEGORIES, MAX_USERS } from "#lib/incidents/message";
import { bool, count, id, int, list, mapOf, nullable, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";

// Incidents as staff read them (lib/incidents/views.ts): user ids only, no PII.

const status = oneOf(INCIDENT_STATUSES);
const stepName = text(64);
const failure = object({ phase: oneOf(["respond", "resolve"]), step: stepName, error: text(1000), at: timestamp });

const summaryFields = {
  incidentId: uuid,
  type: oneOf(INCIDENT_TYPES),
  severity: oneOf(SEVERITIES),
  status,
  requestedBy: text(128),
  receivedAt: timestamp,
  detectedAt: timestamp,
  /** DATA_BREACH: when the supervisory authority must have been told (72 h after detection). */
  authorityDeadline: optional(timestamp),
  failedStep: optional(stepName),
  /** How many users the request named (null: a breach selected by registration date). */
  users: nullable(int(1, MAX_USERS)),
  updatedAt: timestamp,
};

export const incidentSummary = object(summaryFields);

const step = object({
  name: stepName,
  status: oneOf(["PENDING", "RUNNING", "DONE", "FAILED"]),
  at: nullable(timestamp),
  startedAt: optional(timestamp),
  finishedAt: optional(timestamp),
  failures: int(0, 10_000),
  lastError: optional(text(1000)),
  counts: mapOf(count),
});
const steps = list(step, 20);
const stepCounts = mapOf(z.record(text(64), z.union([count, text(16)])));

export const incidentDetail = object({
  ...summaryFields,
  userIds: list(id, MAX_USERS),
  details: object({
    summary: text(2000),
    sourceIps: optional(list(text(45), MAX_USERS)),
    periodMinutes: optional(int(1, 7 * 24 * 60)),
    maxFailuresPerAccount: optional(int(1, 1000)),
    maxFailuresPerIp: optional(int(1, 100_000)),
    detectedAt: optional(text(40)),
    dataCategories: optional(list(oneOf(DATA_CATEGORIES), DATA_CATEGORIES.length)),
    credentialsInvolved: optional(bool),
    affected: optional(object({ registeredAfter: optional(text(40)), registeredBefore: optional(text(40)) })),
  }),
  steps,
  mitigatedAt: optional(timestamp),
  failure: optional(failure),
  /** Incident-level measures, each taken once: when, and what came of it. */
  effects: mapOf(object({ at: timestamp, outcome: text(64) })),
  resolution: optional(object({ requestedBy: text(128), requestedAt: timestamp, summary: text(2000), resolvedAt: optional(timestamp), steps })),
  /** The post-incident report (lib/incidents/report.ts). */
  report: optional(
    object({
      summary: text(2000),
      type: oneOf(INCIDENT_TYPES),
      severity: oneOf(SEVERITIES),
      requestedBy: text(128),
      resolvedBy: text(128),
      receivedAt: timestamp,
      detectedAt: timestamp,
      authorityDeadline: optional(timestamp),
      mitigatedAt: optional(timestamp),
      failure: optional(failure),
      resolvedAt: timestamp,
      /** Each step's status and counts. */
      response: stepCounts,
      recovery: stepCounts,
    }),
  ),
  timeline: list(object({ at: timestamp, event: text(64), step: optional(stepName), detail: optional(text(1000)) }), 10_000),
});

/** What was done to one user of an incident (lib/data/incident-target.ts). */
export const incidentUser = object({
  userId: id,
  selectedAt: timestamp,
  measures: mapOf(
    object({
      at: timestamp,
      outcome: text(64),
      messageId: optional(text(128)),
      channel: optional(oneOf(["EMAIL", "SMS"])),
      status: optional(text(32)),
      deliveredAt: optional(timestamp),
      settledAt: optional(timestamp),
    }),
  ),
});
