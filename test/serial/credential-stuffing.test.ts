import { beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { untilIncident } from "#test/steps/incidents";
import { expectProblem, mailsTo } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// CREDENTIAL_STUFFING changes every sign-in of the stack for its period (lower failure limits):
// serial, on the stack of the serial tests, so no other file counting failed sign-ins runs meanwhile.

let opsToken = "";
beforeAll(async () => {
  opsToken = (await given.aSignedInStaffMember(["ops"])).tokens.accessToken;
});

const open = (body: Record<string, unknown>) => call("POST", "/admin/incidents", { token: opsToken, body });
/** Login instances keep the login policy 5 s (lib/data/login-policy.ts). */
const policyRead = () => new Promise((r) => setTimeout(r, 5_500));

describe("CREDENTIAL_STUFFING", () => {
  it("blocks the source addresses and tightens the sign-in limits for a while; resolve restores both; nobody is mailed", async () => {
    const user = await given.aVerifiedUser();
    const attacker = `127.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    // The per-account limit tightened (2 instead of 5); the per-IP one kept high, as every test signs in from one address.
    const opened = await open({ type: "CREDENTIAL_STUFFING", severity: "HIGH", details: { summary: "Botnet replaying a leaked list", sourceIps: [attacker], periodMinutes: 5, maxFailuresPerAccount: 2, maxFailuresPerIp: 100_000 } });
    const { incidentId } = opened.body;
    const view = await untilIncident(opsToken, incidentId, "MITIGATED");
    expect(view.steps.map((s: { counts: Record<string, number> }) => s.counts)).toEqual([{ maxFailuresPerAccount: 2, maxFailuresPerIp: 100_000, minutes: 5 }, { blockedIps: 1, minutes: 5 }]);
    await policyRead(); // every login instance has read the policy since
    expectProblem(await when.login(user.username, user.password, { sourceIp: attacker }), 429, "LOCKED_OUT");
    const victim = await given.aVerifiedUser();
    for (let i = 0; i < 2; i++) expectProblem(await when.login(victim.username, "wrong-password-1"), 401, "INVALID_CREDENTIALS");
    expectProblem(await when.login(victim.username, victim.password), 429, "LOCKED_OUT"); // locked after 2, not 5

    expect((await call("POST", `/admin/incidents/${incidentId}/resolve`, { token: opsToken, body: { summary: "Botnet gone; list invalidated" } })).status).toBe(200);
    await untilIncident(opsToken, incidentId, "RESOLVED");
    await policyRead();
    expect((await when.login(user.username, user.password, { sourceIp: attacker })).status).toBe(200);
    const other = await given.aVerifiedUser();
    for (let i = 0; i < 2; i++) expectProblem(await when.login(other.username, "wrong-password-1"), 401, "INVALID_CREDENTIALS");
    expect((await when.login(other.username, other.password)).status).toBe(200); // back to 5
    expect((await mailsTo(user.email)).filter((m) => /secured|incident/i.test(m.subject))).toHaveLength(0);
  });
});
