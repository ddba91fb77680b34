import { beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { incidentUsers, untilIncident } from "#test/steps/incidents";
import { expectProblem, latestCode, mailsMatching } from "#test/steps/then";
import { call, when } from "#test/steps/when";

// DATA_BREACH through the real local queue: the authority deadline on record, one notice per
// affected user through the outbox with its evidence (queued, delivered), a required password
// reset when credentials leaked. The breach over 2,000 users: test/serial/data-breach-volume.test.ts.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let ops: Staff;
const token = () => ops.tokens.accessToken;
const NOTICE = /a security incident involving your data/;

beforeAll(async () => {
  ops = await given.aSignedInStaffMember(["ops"]);
});

const open = (body: Record<string, unknown>) => call("POST", "/admin/incidents", { token: token(), body });

describe("DATA_BREACH", () => {
  it("notifies each affected user once with evidence, requires a reset when credentials leaked, and keeps the 72 h deadline", async () => {
    const a = await given.aSignedInUser();
    const b = await given.aVerifiedUser();
    const detectedAt = new Date(Date.now() - 3600_000).toISOString();
    const opened = await open({
      type: "DATA_BREACH",
      severity: "CRITICAL",
      userIds: [a.user.userId, b.userId],
      details: { summary: "Support tool export found on a public share", detectedAt, dataCategories: ["EMAIL", "PASSWORD"], credentialsInvolved: true },
    });
    expect(opened.status, opened.text).toBe(202);
    const { incidentId } = opened.body;
    const view = await untilIncident(token(), incidentId, "MITIGATED", 60_000);
    expect(view.authorityDeadline).toBe(new Date(Date.parse(detectedAt) + 72 * 3600_000).toISOString());
    expect(view.steps.map((s: { name: string }) => s.name)).toEqual(["record-authority-deadline", "select-affected-users", "notify-affected-users", "confirm-deliveries"]);
    expect(view.steps.at(-1).counts).toEqual({ delivered: 2 });

    const mail = (await mailsMatching(a.user.email, NOTICE))[0];
    expect(mail?.body.text).toMatch(/email, password/);
    expectProblem(await when.getMe(a.tokens.accessToken), 401, "TOKEN_REVOKED");
    expectProblem(await when.login(a.user.username, a.user.password), 403, "PASSWORD_RESET_REQUIRED");
    const evidence = await incidentUsers(token(), incidentId);
    expect(evidence).toHaveLength(2);
    for (const { measures } of evidence) {
      const notice = measures["notify-affected-users"];
      expect(notice).toMatchObject({ outcome: "QUEUED", channel: "EMAIL", messageId: expect.any(String), status: "DELIVERED" });
      expect(Date.parse(notice?.deliveredAt ?? "")).toBeGreaterThanOrEqual(Date.parse(notice?.at ?? ""));
    }

    expect((await when.forgot(a.user.email)).status).toBe(202);
    const newPassword = given.strongPassword();
    expect((await when.reset(a.user.email, await latestCode(a.user.email, /reset code/i), newPassword)).status).toBe(204);
    expect((await when.login(a.user.username, newPassword)).status).toBe(200);
    expect((await call("POST", `/admin/incidents/${incidentId}/resolve`, { token: token(), body: { summary: "Share removed; authority notified within 20 h" } })).status).toBe(200);
    const resolved = await untilIncident(token(), incidentId, "RESOLVED");
    expect(resolved.report).toMatchObject({ authorityDeadline: view.authorityDeadline, response: { "notify-affected-users": { QUEUED: 2 } } });
    // The reset requirement is no temporary measure: b must still reset.
    expectProblem(await when.login(b.username, b.password), 403, "PASSWORD_RESET_REQUIRED");
  });
});
