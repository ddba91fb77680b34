import { beforeAll, describe, expect, it } from "vitest";
import { nightly } from "#test/steps/commands";
import { approvedResolution, escapeRe, fileComplaint, readComplaint, transitioned } from "#test/steps/complaints";
import { given } from "#test/steps/given";
import { mailsMatching } from "#test/steps/then";
import { call } from "#test/steps/when";

// Complaint deadlines through `npm run nightly -- --as-of` (the test clock; serial, on a stack of
// its own): a complaint nobody answered within 24 hours is escalated once (priority up, on the
// timeline), then again when its 7-day resolution deadline passes; one RESOLVED a week ago is
// closed and its complainant told. The job finds them in the SLA index, never by a scan.

type Staff = Awaited<ReturnType<typeof given.aSignedInStaffMember>>;
let proposer: Staff;
let approver: Staff;

beforeAll(async () => {
  [proposer, approver] = await Promise.all([given.aSignedInStaffMember(["support"]), given.aSignedInStaffMember(["support"])]);
});

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const slaStep = (run: Awaited<ReturnType<typeof nightly>>) => run.steps.find((s) => s.name === "complaint-sla");

describe("complaint deadlines in the nightly job", () => {
  it("escalates an overdue complaint once per missed deadline, raising its priority and recording it on the timeline", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken, { category: "LOGISTICS" });
    expect(filed.priority).toBe("NORMAL");

    const notYet = await nightly({}, { asOf: hoursFromNow(23) });
    expect(slaStep(notYet)?.status).toBe("OK");
    expect((await readComplaint(proposer.tokens.accessToken, filed.complaintId)).body.priority).toBe("NORMAL");

    const late = hoursFromNow(25);
    const run = await nightly({}, { asOf: late });
    expect(slaStep(run)).toMatchObject({ status: "OK", counts: { escalated: expect.any(Number), failed: 0 } });
    expect(slaStep(run)?.counts.escalated).toBeGreaterThanOrEqual(1);
    const escalated = (await readComplaint(proposer.tokens.accessToken, filed.complaintId)).body;
    expect(escalated).toMatchObject({ status: "RECEIVED", priority: "HIGH", escalations: [{ kind: "FIRST_RESPONSE", priorityBefore: "NORMAL" }], due: { kind: "RESOLUTION" } });
    expect(escalated.timeline.at(-1)).toMatchObject({ kind: "ESCALATED", actorRole: "SYSTEM", details: { missed: "FIRST_RESPONSE", priorityAfter: "HIGH" } });
    // The staff queue shows it with its new priority and what was missed.
    const queue = await call("GET", "/admin/complaints?status=RECEIVED&limit=100", { token: proposer.tokens.accessToken });
    expect(queue.body.items.find((c: { complaintId: string }) => c.complaintId === filed.complaintId)).toMatchObject({ priority: "HIGH", escalated: ["FIRST_RESPONSE"] });

    // The same night again (a rerun): nothing more for this complaint.
    await nightly({}, { asOf: late });
    expect((await readComplaint(proposer.tokens.accessToken, filed.complaintId)).body.escalations).toHaveLength(1);

    // A week later the resolution deadline has passed too.
    await nightly({}, { asOf: hoursFromNow(8 * 24) });
    const week = (await readComplaint(proposer.tokens.accessToken, filed.complaintId)).body;
    expect(week).toMatchObject({ priority: "URGENT", escalations: [{ kind: "FIRST_RESPONSE" }, { kind: "RESOLUTION", priorityBefore: "HIGH" }] });
    expect(week).not.toHaveProperty("due");
  });

  it("a complaint answered in time is not escalated for its first response", async () => {
    const { tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    await transitioned(proposer.tokens.accessToken, filed.complaintId, { action: "CLASSIFY", category: "SERVICE", priority: "LOW" });
    await nightly({}, { asOf: hoursFromNow(25) });
    expect((await readComplaint(proposer.tokens.accessToken, filed.complaintId)).body).toMatchObject({ priority: "LOW", due: { kind: "RESOLUTION" } });
  });

  it("closes a complaint 7 days after it was RESOLVED, tells the complainant, who can still rate it", async () => {
    const { user, tokens } = await given.aSignedInUser();
    const filed = await fileComplaint(tokens.accessToken);
    await approvedResolution(proposer.tokens.accessToken, approver.tokens.accessToken, filed.complaintId, "PARTIALLY_UPHELD");
    await transitioned(proposer.tokens.accessToken, filed.complaintId, { action: "RESOLVE" });

    await nightly({}, { asOf: hoursFromNow(6 * 24) });
    expect((await readComplaint(tokens.accessToken, filed.complaintId)).body.status).toBe("RESOLVED");
    const run = await nightly({}, { asOf: hoursFromNow(7 * 24 + 1) });
    expect(slaStep(run)?.counts.closed).toBeGreaterThanOrEqual(1);
    const closed = (await readComplaint(tokens.accessToken, filed.complaintId)).body;
    expect(closed).toMatchObject({ status: "CLOSED", canRate: true });
    expect(closed.timeline.at(-1)).toMatchObject({ action: "CLOSE", by: "SYSTEM", status: "CLOSED" });
    await mailsMatching(user.email, new RegExp(`${escapeRe(filed.ticketNo)}: closed`));

    const rated = await call("POST", `/complaints/${filed.complaintId}/satisfaction`, { token: tokens.accessToken, body: { rating: 2 } });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.body.status).toBe("CLOSED");
  });
});
