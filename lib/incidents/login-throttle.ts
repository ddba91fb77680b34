import { config } from "#lib/config";
import { lookupHash } from "#lib/crypto/fields";
import { blockAttribute, forgetLoginPolicy, putMeasure, removeMeasures, tightenAttribute } from "#lib/data/login-policy";
import { applyToIncident } from "#lib/incidents/effects";
import type { RunbookStep, StepContext, StepResult } from "#lib/incidents/step";

// CREDENTIAL_STUFFING: lower failure limits for every sign-in, and the attack's source addresses
// refused outright, both for a period (from when the incident came in, so a retry ends it at the
// same time), on the login policy item that every password check reads (lib/limits/sign-in.ts).
// Resolve removes this incident's entries and nothing else. Nobody is mailed.

const untilOf = (context: StepContext) => {
  const minutes = context.incident.details.periodMinutes ?? config().incidents.throttle.minutes;
  return { minutes, until: Date.parse(context.incident.receivedAt) + minutes * 60_000 };
};

export const tightenLoginThrottle: RunbookStep = {
  name: "tighten-login-throttle",
  async run(context) {
    const { details } = context.incident;
    const { minutes, until } = untilOf(context);
    const limits = {
      maxFailuresPerAccount: details.maxFailuresPerAccount ?? config().incidents.throttle.maxFailuresPerAccount,
      maxFailuresPerIp: details.maxFailuresPerIp ?? config().incidents.throttle.maxFailuresPerIp,
    };
    await applyToIncident(context, "tighten-login-throttle", "TIGHTENED", [{ Update: putMeasure(tightenAttribute(context.incident.incidentId), { ...limits, until }) }], {}, { ...limits, minutes });
    forgetLoginPolicy();
    return { done: true, counts: { ...limits, minutes } };
  },
};

export const blockSourceIps: RunbookStep = {
  name: "block-source-ips",
  async run(context): Promise<StepResult> {
    const ips = [...new Set(context.incident.details.sourceIps ?? [])];
    if (ips.length === 0) return { done: true, counts: { blockedIps: 0 } };
    const { minutes, until } = untilOf(context);
    const ipHashes = await Promise.all(ips.map((ip) => lookupHash("IP", ip)));
    await applyToIncident(context, "block-source-ips", "BLOCKED", [{ Update: putMeasure(blockAttribute(context.incident.incidentId), { ipHashes, until }) }], {}, { blockedIps: ips.length, minutes });
    forgetLoginPolicy();
    return { done: true, counts: { blockedIps: ips.length, minutes } };
  },
};

export const restoreLoginThrottle: RunbookStep = {
  name: "restore-login-throttle",
  async run(context) {
    const { incidentId } = context.incident;
    await applyToIncident(context, "restore-login-throttle", "RESTORED", [{ Update: removeMeasures([tightenAttribute(incidentId), blockAttribute(incidentId)]) }]);
    forgetLoginPolicy();
    return { done: true, counts: { restored: 1 } };
  },
};
