import { beforeAll, describe, expect, it } from "vitest";
import { approvedResolution, escapeRe, fileComplaint, readComplaint, transition, transitioned } from "#test/steps/complaints";
import { given } from "#test/steps/given";
import type { HttpResponse } from "#test/steps/http";
import { expectProblem, mailsMatching, mailsTo } from "#test/steps/then";
import { call } from "#test/steps/when";

// Complaints through HTTP (issue 14): the whole process with a mail at each step the complainant
// sees, who may read a complaint, illegal transitions, four eyes, optimistic concurrency,
// satisfaction, the daily limit, the staff queue's order, and general feedback. Disputes are in
// complaints-disputes.test.ts; deadlines (the nightly job with a test clock) in test/clock/.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let proposer: Staff;
let approver: Staff;

beforeAll(async () => {
  [proposer, approver] = await Promise.all([given.aSignedInStaffMember(["support"]), given.aSignedInStaffMember(["support"])]);
});

const tokenOf = (s: Staff) => s.tokens.accessToken;
type QueuePage = { items: { complaintId: string; priority: string }[]; nextCursor: string | null };

describe("a complaint from filing to CLOSED", () => {
  it("is acknowledged at once, moves through the process, and mails the complainant at every step they see", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken, { category: "PAYMENT", channel: "WEB", orderRef: "order-4711" });
    expect(filed).toMatchObject({ complaintId: expect.stringMatching(/^[0-9a-f-]{36}$/), ticketNo: expect.stringMatching(/^C-\d{8}-\d{4,}$/), status: "RECEIVED" });
    const ticket = escapeRe(filed.ticketNo);
    await mailsMatching(user.email, new RegExp(`We received your complaint ${ticket}`));
    const byTicket = await call("GET", `/admin/complaints?ticketNo=${filed.ticketNo}`, { token: tokenOf(proposer) });
    expect(byTicket.body.items).toEqual([expect.objectContaining({ complaintId: filed.complaintId, status: "RECEIVED", priority: "NORMAL", complainantId: user.userId })]);

    await transitioned(tokenOf(proposer), filed.complaintId, { action: "CLASSIFY", category: "PAYMENT", priority: "HIGH" });
    await mailsMatching(user.email, new RegExp(`${ticket}: being handled`));
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "START_INVESTIGATION" });
    await mailsMatching(user.email, new RegExp(`${ticket}: under investigation`));
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "PROPOSE_RESOLUTION", resolution: "We refund the double charge of 25 CNY.", outcome: "UPHELD" });
    await transitioned(tokenOf(approver), filed.complaintId, { action: "APPROVE_RESOLUTION" });
    expect((await transitioned(tokenOf(proposer), filed.complaintId, { action: "RESOLVE" })).status).toBe("RESOLVED");
    const [resolvedMail] = await mailsMatching(user.email, new RegExp(`${ticket}: resolved`));
    expect(resolvedMail?.body.text).toContain("We refund the double charge of 25 CNY.");

    const view = await readComplaint(tokens.accessToken, filed.complaintId);
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({ status: "RESOLVED", orderRef: "order-4711", resolution: { outcome: "UPHELD", text: "We refund the double charge of 25 CNY." }, canRate: true });
    expect(view.body.timeline.map((e: { kind: string; action?: string }) => e.action ?? e.kind)).toEqual([
      "FILED",
      "CLASSIFY",
      "START_INVESTIGATION",
      "PROPOSE_RESOLUTION",
      "APPROVE_RESOLUTION",
      "RESOLVE",
    ]);
    expect(view.text).not.toContain(proposer.user.userId); // staff are roles to the parties, never ids

    const rated = await call("POST", `/complaints/${filed.complaintId}/satisfaction`, { token: tokens.accessToken, body: { rating: 5, comment: "Quick and fair." } });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.body).toMatchObject({ rating: 5, status: "CLOSED" });
    await mailsMatching(user.email, new RegExp(`${ticket}: closed`));
    // One mail per step the complainant sees: received, handled, investigated, resolved, closed (not the internal proposal and approval).
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailsTo(user.email)).filter((m) => m.subject.includes(filed.ticketNo))).toHaveLength(5);

    const mine = await call("GET", "/me/complaints", { token: tokens.accessToken });
    expect(mine.body.items[0]).toMatchObject({ complaintId: filed.complaintId, ticketNo: filed.ticketNo, status: "CLOSED" });
    const staffView = await readComplaint(tokenOf(proposer), filed.complaintId);
    expect(staffView.body).toMatchObject({ complainantId: user.userId, satisfaction: { rating: 5 }, legalActions: [] });
    expect(staffView.body.timeline.at(-1)).toMatchObject({ kind: "SATISFACTION", actorRole: "COMPLAINANT", to: "CLOSED" });
  });
});

describe("who may see a complaint", () => {
  it("a third user gets 404 for reading, writing and rating, as for a complaint that does not exist", async () => {
    const { tokens } = await given.aSignedInUser();
    const stranger = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    expectProblem(await readComplaint(stranger.tokens.accessToken, filed.complaintId), 404, "NOT_FOUND");
    expectProblem(await call("POST", `/complaints/${filed.complaintId}/messages`, { token: stranger.tokens.accessToken, body: { body: "hello" } }), 404, "NOT_FOUND");
    expectProblem(await call("POST", `/complaints/${filed.complaintId}/satisfaction`, { token: stranger.tokens.accessToken, body: { rating: 1 } }), 404, "NOT_FOUND");
    expectProblem(await readComplaint(stranger.tokens.accessToken, crypto.randomUUID()), 404, "NOT_FOUND");
    expectProblem(await transition(stranger.tokens.accessToken, filed.complaintId, { action: "CLASSIFY" }), 403, "STAFF_ONLY");
  });
});

describe("the process refuses", () => {
  it("an illegal transition with 409 ILLEGAL_TRANSITION listing the legal actions", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    const res = await transition(tokenOf(proposer), filed.complaintId, { action: "RESOLVE" });
    expectProblem(res, 409, "ILLEGAL_TRANSITION");
    expect(res.body).toMatchObject({ currentStatus: "RECEIVED", legalActions: ["CLASSIFY", "REJECT"] });
    expectProblem(await transition(tokenOf(proposer), filed.complaintId, { action: "CLASSIFY", category: "PAYMENT" }), 400, "VALIDATION_FAILED");
    expectProblem(await transition(tokenOf(proposer), filed.complaintId, { action: "ESCALATE" }), 400, "VALIDATION_FAILED");
  });

  it("self-approval: the proposer cannot approve their own resolution (four eyes)", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "CLASSIFY", category: "SERVICE", priority: "LOW" });
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "START_INVESTIGATION" });
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "PROPOSE_RESOLUTION", resolution: "An apology.", outcome: "NOT_UPHELD" });
    expectProblem(await transition(tokenOf(proposer), filed.complaintId, { action: "APPROVE_RESOLUTION" }), 403, "SELF_APPROVAL");
    expect((await transitioned(tokenOf(approver), filed.complaintId, { action: "APPROVE_RESOLUTION" })).status).toBe("RESOLUTION_APPROVED");
  });

  it("parallel transitions of one complaint: one wins, the others are 409s", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    const results = await Promise.all(
      ["HIGH", "LOW", "URGENT", "NORMAL"].map((priority, i) => transition(tokenOf(i % 2 ? approver : proposer), filed.complaintId, { action: "CLASSIFY", category: "SERVICE", priority })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    // Read at the same version: the version condition refuses the second write; read after it: CLASSIFY is no longer legal.
    for (const lost of results.filter((r) => r.status === 409)) expect(["CHANGED_MEANWHILE", "ILLEGAL_TRANSITION"]).toContain(lost.body.code);
    const staffView = await readComplaint(tokenOf(proposer), filed.complaintId);
    expect(staffView.body.version).toBe(2);
    expect(staffView.body.timeline.filter((e: { kind: string }) => e.kind === "TRANSITION")).toHaveLength(1);
    // A client that read version 1 and acts on it is refused, even with an action that is legal now.
    expectProblem(await transition(tokenOf(approver), filed.complaintId, { action: "REJECT", reason: "Duplicate", expectedVersion: 1 }), 409, "CHANGED_MEANWHILE");
  });
});

describe("satisfaction", () => {
  it("only the complainant, only after RESOLVED, only 1–5, only once", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    const rate = (body: unknown, token = tokens.accessToken) => call("POST", `/complaints/${filed.complaintId}/satisfaction`, { token, body });
    expectProblem(await rate({ rating: 4 }), 409, "NOT_RESOLVED");
    await approvedResolution(tokenOf(proposer), tokenOf(approver), filed.complaintId, "NOT_UPHELD");
    await transitioned(tokenOf(proposer), filed.complaintId, { action: "RESOLVE" });
    for (const rating of [0, 6, 2.5, "5", null]) expectProblem(await rate({ rating }), 400, "VALIDATION_FAILED");
    expectProblem(await rate({ rating: 3 }, tokenOf(proposer)), 403, "COMPLAINANT_ONLY");
    const both = await Promise.all([rate({ rating: 2 }), rate({ rating: 4 })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)?.body.code).toBe("ALREADY_RATED");
    expectProblem(await rate({ rating: 1 }), 409, "ALREADY_RATED");
  });
});

describe("limits and queues", () => {
  it("a user files at most 5 complaints a day: then 429 RATE_LIMITED with Retry-After", async () => {
    const { tokens } = await given.aSignedInUser();
    for (let i = 0; i < 5; i++) await fileComplaint(tokens.accessToken, { subject: `Complaint ${i}` });
    const res = await call("POST", "/complaints", { token: tokens.accessToken, body: { category: "OTHER", channel: "APP", subject: "One more", description: "..." } });
    expectProblem(res, 429, "RATE_LIMITED");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(23 * 3600);
  });

  it("a complaint against oneself or an unknown user is refused and does not use up the allowance", async () => {
    const { user, tokens } = await given.aSignedInUser();
    expectProblem(await call("POST", "/complaints", { token: tokens.accessToken, body: { ...baseBody, againstUserId: user.userId } }), 400, "SELF_COMPLAINT");
    expectProblem(await call("POST", "/complaints", { token: tokens.accessToken, body: { ...baseBody, againstUserId: crypto.randomUUID() } }), 400, "UNKNOWN_USER");
    expectProblem(await call("POST", "/complaints", { token: tokens.accessToken, body: { ...baseBody, category: "FOOD" } }), 400, "VALIDATION_FAILED");
    for (let i = 0; i < 5; i++) await fileComplaint(tokens.accessToken);
  });

  it("the staff queue lists a status most urgent first, then oldest first", async () => {
    const { tokens } = await given.aSignedInUser();
    const ids: string[] = [];
    for (const priority of ["LOW", "URGENT", "HIGH", "URGENT"]) {
      const filed = await fileComplaint(tokens.accessToken);
      await transitioned(tokenOf(proposer), filed.complaintId, { action: "CLASSIFY", category: "LOGISTICS", priority });
      ids.push(filed.complaintId);
    }
    const seen: { complaintId: string; priority: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: HttpResponse<QueuePage> = await call<QueuePage>("GET", `/admin/complaints?status=CLASSIFIED&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: tokenOf(proposer) });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const mine = seen.filter((c) => ids.includes(c.complaintId)).map((c) => c.complaintId);
    expect(mine).toEqual([ids[1], ids[3], ids[2], ids[0]]); // URGENT (older), URGENT, HIGH, LOW
    const ranks = seen.map((c) => ["URGENT", "HIGH", "NORMAL", "LOW"].indexOf(c.priority));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expectProblem(await call("GET", "/admin/complaints", { token: tokens.accessToken }), 403, "STAFF_ONLY");
  });
});

const baseBody = { category: "SERVICE", channel: "PHONE", subject: "Rude driver", description: "The driver shouted at me." };

describe("feedback", () => {
  it("any user sends feedback (rating optional, 1–5); staff list it newest first, users may not", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const sent = await call("POST", "/feedback", { token: tokens.accessToken, body: { topic: "Map", body: "The station map is hard to read at night.", rating: 3 } });
    expect(sent.status, sent.text).toBe(201);
    expect((await call("POST", "/feedback", { token: tokens.accessToken, body: { topic: "App", body: "Love it." } })).status).toBe(201);
    expectProblem(await call("POST", "/feedback", { token: tokens.accessToken, body: { topic: "Map", body: "x", rating: 6 } }), 400, "VALIDATION_FAILED");
    expectProblem(await call("POST", "/feedback", { token: tokens.accessToken, body: { topic: "", body: "x" } }), 400, "VALIDATION_FAILED");
    const listed = await call("GET", "/admin/feedback?limit=100", { token: tokenOf(proposer) });
    expect(listed.status, listed.text).toBe(200);
    const mine = listed.body.items.filter((f: { userId: string }) => f.userId === user.userId);
    expect(mine.map((f: { topic: string }) => f.topic)).toEqual(["App", "Map"]);
    expect(mine[1]).toMatchObject({ feedbackId: sent.body.feedbackId, rating: 3, body: "The station map is hard to read at night." });
    expectProblem(await call("GET", "/admin/feedback", { token: tokens.accessToken }), 403, "STAFF_ONLY");
  });
});
