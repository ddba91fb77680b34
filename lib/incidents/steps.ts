import type { IncidentType } from "#lib/data/incident";
import { freezeRewards, liftSuspensions, notifyAccountOwners, requirePasswordReset, revokeSessions, suspendAccounts, unfreezeRewards } from "#lib/incidents/accounts";
import { confirmDeliveries, notifyAffectedUsers, recordAuthorityDeadline } from "#lib/incidents/breach";
import { blockSourceIps, restoreLoginThrottle, tightenLoginThrottle } from "#lib/incidents/login-throttle";
import { writeReport } from "#lib/incidents/report";
import { RUNBOOKS, type StepName } from "#lib/incidents/runbooks";
import type { Runbook, RunbookStep } from "#lib/incidents/step";
import { selectAffectedUsers, selectUsers } from "#lib/incidents/targets";
import { recordViolations } from "#lib/incidents/violations";

// The code of every step a runbook names (the type makes a name without code a compile error).
// Only the queue consumer loads this; the routes read the runbooks' names alone.

export const STEPS: Record<StepName, RunbookStep> = Object.fromEntries(
  [
    selectUsers,
    suspendAccounts,
    revokeSessions,
    requirePasswordReset,
    freezeRewards,
    notifyAccountOwners,
    recordViolations,
    tightenLoginThrottle,
    blockSourceIps,
    recordAuthorityDeadline,
    selectAffectedUsers,
    notifyAffectedUsers,
    confirmDeliveries,
    liftSuspensions,
    unfreezeRewards,
    restoreLoginThrottle,
    writeReport,
  ].map((step) => [step.name, step]),
) as Record<StepName, RunbookStep>;

export const runbookOf = (type: IncidentType): Runbook => ({
  respond: RUNBOOKS[type].respond.map((name) => STEPS[name]),
  resolve: RUNBOOKS[type].resolve.map((name) => STEPS[name]),
});

export const ALL_RUNBOOKS = Object.fromEntries((Object.keys(RUNBOOKS) as IncidentType[]).map((type) => [type, runbookOf(type)])) as Record<IncidentType, Runbook>;
