// The incident vocabulary, with no table code: route schemas and the queue contract import it
// without loading a DynamoDB client (lib/data/incident.ts is the entity itself).

export const INCIDENT_TYPES = ["ACCOUNT_COMPROMISE", "CREDENTIAL_STUFFING", "DATA_BREACH", "FRAUD_RING"] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_STATUSES = ["RUNNING", "MITIGATED", "FAILED", "RESOLVING", "RESOLVED"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** The runbook's steps (respond) and the recovery steps run by a resolve (resolve). */
export type Phase = "respond" | "resolve";
export type StepStatus = "PENDING" | "RUNNING" | "DONE" | "FAILED";

export interface IncidentDetails {
  summary: string;
  /** CREDENTIAL_STUFFING: addresses to block, the period of the measures, the tightened limits. */
  sourceIps?: string[];
  periodMinutes?: number;
  maxFailuresPerAccount?: number;
  maxFailuresPerIp?: number;
  /** DATA_BREACH: when it was found (the authority deadline runs from here), what leaked, who. */
  detectedAt?: string;
  dataCategories?: string[];
  credentialsInvolved?: boolean;
  affected?: { registeredAfter?: string; registeredBefore?: string };
}
