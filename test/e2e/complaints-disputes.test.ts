import { beforeAll, describe, expect, it } from "vitest";
import { behaviourEvent, send } from "#test/steps/behavior-events";
import { escapeRe, fileComplaint, readComplaint, transition, transitioned } from "#test/steps/complaints";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { expectProblem, mailsMatching } from "#test/steps/then";
import { call } from "#test/steps/when";

// A dispute between two users (issue 14): mediation brings the respondent in, they answer, a
// resolution is proposed and approved by two staff members, and the upheld outcome becomes one
// behaviour event for the respondent (the complaint id is its event id) that lowers their credit
// after a recompute, counted once however often it is replayed. Their lower tier then lowers
// their own daily complaint allowance.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let support: Staff;
let admin: Staff;

beforeAll(async () => {
  [support, admin] = await Promise.all([given.aSignedInStaffMember(["support"]), given.aSignedInStaffMember(["admin"])]);
});

const counters = async (token: string) => {
  const res = await call("GET", "/me/credit", { token });
  expect(res.status, res.text).toBe(200);
  return res.body as { score: number; tier: string; counters: Record<string, number> };
};

describe("a dispute", () => {
  it("goes through mediation where the respondent answers; the upheld outcome lowers the respondent's credit once", async () => {
    const complainant = await given.aSignedInUser();
    const respondent = await given.aSignedInUser();
    const filed = await fileComplaint(complainant.tokens.accessToken, {
      category: "PRODUCT",
      againstUserId: respondent.user.userId,
      orderRef: "rental-991",
      description: "The drill I rented had a cracked casing. Reach me at the address on my account.",
    });
    const ticket = escapeRe(filed.ticketNo);
    const sp = support.tokens.accessToken;
    const asRespondent = respondent.tokens.accessToken;

    // The respondent can read it, without anything that identifies the complainant; answering waits for mediation.
    const early = await readComplaint(asRespondent, filed.complaintId);
    expect(early.status, early.text).toBe(200);
    expect(early.body).toMatchObject({ dispute: true, orderRef: "rental-991", status: "RECEIVED" });
    for (const secret of [complainant.user.userId, complainant.user.username, complainant.user.email]) expect(early.text).not.toContain(secret);
    expect(early.body).not.toHaveProperty("againstUserId");
    expectProblem(await call("POST", `/complaints/${filed.complaintId}/messages`, { token: asRespondent, body: { body: "Not true." } }), 409, "MEDIATION_NOT_STARTED");

    await transitioned(sp, filed.complaintId, { action: "CLASSIFY", category: "PRODUCT", priority: "NORMAL" });
    const skip = await transition(sp, filed.complaintId, { action: "START_INVESTIGATION" });
    expectProblem(skip, 409, "ILLEGAL_TRANSITION");
    expect(skip.body.legalActions).toEqual(["START_MEDIATION", "REJECT"]);
    await transitioned(sp, filed.complaintId, { action: "START_MEDIATION" });
    await mailsMatching(complainant.user.email, new RegExp(`${ticket}: in mediation`));
    const [asked] = await mailsMatching(respondent.user.email, new RegExp(`answer is needed on complaint ${ticket}`));
    for (const secret of [complainant.user.username, complainant.user.email, complainant.user.userId]) expect(JSON.stringify(asked)).not.toContain(secret);
    const listed = await call("GET", "/me/complaints?role=respondent", { token: asRespondent });
    expect(listed.body.items.map((c: { complaintId: string }) => c.complaintId)).toEqual([filed.complaintId]);

    // No resolution straight from mediation before the respondent has answered.
    expectProblem(await transition(sp, filed.complaintId, { action: "PROPOSE_RESOLUTION", resolution: "x", outcome: "UPHELD" }), 409, "ILLEGAL_TRANSITION");
    const answer = await call("POST", `/complaints/${filed.complaintId}/messages`, { token: asRespondent, body: { body: "The casing was fine when I handed it over." } });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.by).toBe("RESPONDENT");
    await mailsMatching(complainant.user.email, new RegExp(`New message on complaint ${ticket}`));
    const seen = await readComplaint(complainant.tokens.accessToken, filed.complaintId);
    expect(seen.body.timeline.at(-1)).toMatchObject({ kind: "MESSAGE", by: "RESPONDENT", body: "The casing was fine when I handed it over." });
    expect(seen.text).not.toContain(respondent.user.email);

    await transitioned(sp, filed.complaintId, { action: "PROPOSE_RESOLUTION", resolution: "The rental fee is refunded; the owner is warned.", outcome: "UPHELD" });
    await transitioned(admin.tokens.accessToken, filed.complaintId, { action: "APPROVE_RESOLUTION" });
    const resolved = await transitioned(sp, filed.complaintId, { action: "RESOLVE" });
    expect(resolved.creditEvent).toEqual({ eventId: filed.complaintId, result: "RECORDED" });
    await mailsMatching(respondent.user.email, new RegExp(`Complaint ${ticket} was decided`));
    await mailsMatching(complainant.user.email, new RegExp(`${ticket}: resolved`));
    expect((await counters(asRespondent)).counters.COMPLAINT_UPHELD).toBe(1);

    // Retried or replayed, the outcome still counts once: RESOLVE again is illegal, and the same
    // event id through the behaviour-events queue is a duplicate.
    expectProblem(await transition(sp, filed.complaintId, { action: "RESOLVE" }), 409, "ILLEGAL_TRANSITION");
    await send(behaviourEvent(respondent.user.userId, "COMPLAINT_UPHELD", {}, filed.complaintId as ReturnType<typeof crypto.randomUUID>));
    await send(behaviourEvent(respondent.user.userId, "ACTIVE_DAY"));
    await eventually(() => counters(asRespondent), (c) => c.counters.ACTIVE_DAY === 1, "the marker event counted");
    await new Promise((r) => setTimeout(r, 500));
    expect((await counters(asRespondent)).counters.COMPLAINT_UPHELD).toBe(1);

    const recomputed = await call("POST", `/admin/users/${respondent.user.userId}/credit/recompute`, { token: admin.tokens.accessToken });
    expect(recomputed.status, recomputed.text).toBe(200);
    expect(recomputed.body.score).toBeLessThan(600);
    expect(recomputed.body.tier).toBe("POOR");
    expect((await counters(complainant.tokens.accessToken)).counters.COMPLAINT_UPHELD).toBeUndefined();

    // POOR credit: a lower daily allowance of complaints (2 instead of 5).
    await fileComplaint(asRespondent);
    await fileComplaint(asRespondent);
    const third = await call("POST", "/complaints", { token: asRespondent, body: { category: "OTHER", channel: "APP", subject: "Again", description: "..." } });
    expectProblem(third, 429, "RATE_LIMITED");
    expect(third.headers["retry-after"]).toBeDefined();
  });

  it("staff who are a party of a complaint cannot handle it", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken, { againstUserId: support.user.userId });
    expectProblem(await transition(support.tokens.accessToken, filed.complaintId, { action: "CLASSIFY", category: "SERVICE", priority: "LOW" }), 403, "OWN_COMPLAINT");
    const asParty = await readComplaint(support.tokens.accessToken, filed.complaintId);
    expect(asParty.body).not.toHaveProperty("complainantId"); // they see the respondent's view
  });
});
