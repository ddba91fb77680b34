import type { IncidentType } from "#lib/data/incident";

// The runbooks, as data: per incident type, the ordered steps of the response and of the recovery
// a resolve runs (their code: lib/incidents/steps.ts). Each step is idempotent and recorded before
// and after it runs (engine.ts); the measures on users are taken once each and recorded per user
// (effects.ts), which is what a resolve reads to lift exactly this incident's measures.
// README: Incident response.

export const STEP_NAMES = [
  "select-users",
  "suspend-accounts",
  "revoke-sessions",
  "require-password-reset",
  "freeze-rewards",
  "notify-users",
  "record-violations",
  "tighten-login-throttle",
  "block-source-ips",
  "record-authority-deadline",
  "select-affected-users",
  "notify-affected-users",
  "confirm-deliveries",
  "lift-suspensions",
  "unfreeze-rewards",
  "restore-login-throttle",
  "write-report",
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const RUNBOOKS: Record<IncidentType, { respond: StepName[]; resolve: StepName[] }> = {
  ACCOUNT_COMPROMISE: {
    respond: ["select-users", "suspend-accounts", "revoke-sessions", "require-password-reset", "freeze-rewards", "notify-users"],
    resolve: ["lift-suspensions", "unfreeze-rewards", "write-report"],
  },
  CREDENTIAL_STUFFING: {
    respond: ["tighten-login-throttle", "block-source-ips"],
    resolve: ["restore-login-throttle", "write-report"],
  },
  DATA_BREACH: {
    respond: ["record-authority-deadline", "select-affected-users", "notify-affected-users", "confirm-deliveries"],
    // The required password reset stays until each user has reset: it is no temporary measure.
    resolve: ["write-report"],
  },
  FRAUD_RING: {
    respond: ["select-users", "suspend-accounts", "freeze-rewards", "record-violations"],
    // A user staff suspended meanwhile stays suspended: only this incident's hold is lifted.
    resolve: ["lift-suspensions", "unfreeze-rewards", "write-report"],
  },
};

/** The reason mailed to a user whose suspension a resolve lifts (types not listed: no mail). */
export const REACTIVATION_NOTICE: Partial<Record<IncidentType, string>> = {
  ACCOUNT_COMPROMISE: 'our security review of your account is finished. Before you sign in, set a new password with "Forgot password"',
};

export const stepNamesOf = (type: IncidentType, phase: "respond" | "resolve"): StepName[] => RUNBOOKS[type][phase];
