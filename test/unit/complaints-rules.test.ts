import { describe, expect, it } from "vitest";
import { complaintSummary, complaintView } from "#lib/complaints/views";
import { deadlinesFrom, escalate, nextDeadline, raisedPriority, withDeadline } from "#lib/complaints/deadlines";
import { initialPriority } from "#lib/complaints/file";
import { dailyComplaintLimit } from "#lib/complaints/limits";
import { messageNotices, transitionNotices } from "#lib/complaints/notices";
import { type Complaint, complaintDueIndex, complaintQueueIndex, formatTicketNumber } from "#lib/data/complaint";
import type { ComplaintEntry } from "#lib/data/complaint-entry";

// The small rules around the process: deadlines and escalation, queue and SLA keys, ticket
// numbers, limits, who is told what, and what each viewer sees.

const SLA = { firstResponseHours: 24, resolutionDays: 7, closeAfterDays: 7 };
const filed = "2026-12-02T08:00:00.000Z";
const complaint = (overrides: Partial<Complaint> = {}): Complaint =>
  withDeadline(
    {
      complaintId: "c1",
      ticketNo: "C-20261202-0007",
      complainantId: "alice",
      respondentId: "bob",
      category: "SERVICE",
      channel: "APP",
      subject: "Late handover",
      description: "Call me on +8613812341234",
      status: "RECEIVED",
      priority: "NORMAL",
      version: 1,
      createdAt: filed,
      updatedAt: filed,
      ...deadlinesFrom(filed, SLA),
      ...overrides,
    },
    SLA,
  );

describe("deadlines", () => {
  it("a new complaint is due a first response in 24 hours, then a resolution in 7 days", () => {
    expect(complaint().due).toEqual({ kind: "FIRST_RESPONSE", at: "2026-12-03T08:00:00.000Z" });
    expect(nextDeadline(complaint({ firstResponseAt: filed }), SLA)).toEqual({ kind: "RESOLUTION", at: "2026-12-09T08:00:00.000Z" });
  });
  it("a resolved complaint is due to close 7 days after; closed and rejected ones are due nothing", () => {
    expect(nextDeadline(complaint({ status: "RESOLVED", resolvedAt: "2026-12-05T00:00:00.000Z" }), SLA)).toEqual({ kind: "AUTO_CLOSE", at: "2026-12-12T00:00:00.000Z" });
    expect(nextDeadline(complaint({ status: "CLOSED" }), SLA)).toBeUndefined();
    expect(nextDeadline(complaint({ status: "REJECTED" }), SLA)).toBeUndefined();
  });
  it("escalates each missed deadline once, raising the priority a step each time", () => {
    expect(escalate(complaint(), "2026-12-03T07:59:59.000Z", SLA)).toBeUndefined();
    const first = escalate(complaint(), "2026-12-03T09:00:00.000Z", SLA);
    expect(first?.missed).toEqual(["FIRST_RESPONSE"]);
    expect(first?.complaint).toMatchObject({ priority: "HIGH", version: 2, due: { kind: "RESOLUTION" } });
    expect(escalate(first?.complaint as Complaint, "2026-12-03T09:00:00.000Z", SLA)).toBeUndefined(); // a second run: nothing more
    const both = escalate(complaint({ priority: "HIGH" }), "2026-12-20T00:00:00.000Z", SLA);
    expect(both?.missed).toEqual(["FIRST_RESPONSE", "RESOLUTION"]);
    expect(both?.complaint.priority).toBe("URGENT");
    expect(both?.complaint.due).toBeUndefined();
    expect(raisedPriority("URGENT")).toBe("URGENT");
  });
  it("never escalates the automatic close (the nightly job closes those)", () => {
    expect(escalate(complaint({ status: "RESOLVED", resolvedAt: filed }), "2027-01-01T00:00:00.000Z", SLA)).toBeUndefined();
  });
});

describe("keys", () => {
  it("queue by status and shard, most urgent first, then oldest", () => {
    const keys = ["LOW", "URGENT", "NORMAL", "HIGH"].map((priority) => complaintQueueIndex({ ...complaint(), priority: priority as Complaint["priority"] }).GSI1SK);
    expect([...keys].sort().map((k) => k.split("#")[0])).toEqual(["0", "1", "2", "3"]);
    expect(complaintQueueIndex(complaint()).GSI1PK).toMatch(/^COMPLAINTS#RECEIVED#\d{1,2}$/);
    expect(complaintQueueIndex(complaint({ createdAt: "2026-12-01T00:00:00.000Z" })).GSI1SK < complaintQueueIndex(complaint()).GSI1SK).toBe(true);
  });
  it("SLA index sorted by the deadline", () => {
    expect(complaintDueIndex("c1", "2026-12-03T08:00:00.000Z")).toMatchObject({ GSI2PK: expect.stringMatching(/^COMPLAINT_DUE#\d{1,2}$/), GSI2SK: "2026-12-03T08:00:00.000Z#c1" });
  });
  it("ticket numbers are short, dated and sort by date", () => {
    expect(formatTicketNumber("20261202", 42)).toBe("C-20261202-0042");
    expect(formatTicketNumber("20261202", 9999) < formatTicketNumber("20261203", 1)).toBe(true);
  });
});

describe("limits and priority at filing", () => {
  it("POOR credit gets the lower daily allowance", () => {
    expect(dailyComplaintLimit("FAIR", { perDay: 5, perDayPoor: 2 })).toBe(5);
    expect(dailyComplaintLimit("POOR", { perDay: 5, perDayPoor: 2 })).toBe(2);
  });
  it("safety, and the priority-service entitlement, start HIGH", () => {
    expect(initialPriority("SAFETY", [])).toBe("HIGH");
    expect(initialPriority("PAYMENT", ["service:priority"])).toBe("HIGH");
    expect(initialPriority("PAYMENT", ["complaints:file"])).toBe("NORMAL");
  });
});

describe("notices", () => {
  const c = complaint({ status: "MEDIATION", mediationStartedAt: filed });
  it("mediation tells the complainant and asks the respondent, naming only the ticket and category", () => {
    const notices = transitionNotices(complaint({ status: "CLASSIFIED" }), c, "START_MEDIATION");
    expect(notices.map((n) => `${n.to}:${n.template}`)).toEqual(["COMPLAINANT:COMPLAINT_STATUS", "RESPONDENT:COMPLAINT_MEDIATION"]);
    expect(notices[1]?.params).toEqual({ ticketNo: "C-20261202-0007", category: "SERVICE" });
  });
  it("the internal proposal and approval tell nobody", () => {
    expect(transitionNotices(c, { ...c, status: "RESOLUTION_PROPOSED" }, "PROPOSE_RESOLUTION")).toEqual([]);
    expect(transitionNotices(c, { ...c, status: "RESOLUTION_APPROVED" }, "APPROVE_RESOLUTION")).toEqual([]);
  });
  it("a message tells the other parties taking part", () => {
    expect(messageNotices(c, "RESPONDENT").map((n) => n.to)).toEqual(["COMPLAINANT"]);
    expect(messageNotices(c, "STAFF").map((n) => n.to)).toEqual(["COMPLAINANT", "RESPONDENT"]);
    expect(messageNotices(complaint({ status: "CLASSIFIED" }), "COMPLAINANT")).toEqual([]); // the respondent is not in it yet
  });
});

describe("views", () => {
  const entries: ComplaintEntry[] = [
    { complaintId: "c1", seq: 1, at: filed, kind: "FILED", actorRole: "COMPLAINANT", actorId: "alice", to: "RECEIVED" },
    { complaintId: "c1", seq: 2, at: filed, kind: "TRANSITION", actorRole: "STAFF", actorId: "staff-a", action: "CLASSIFY", to: "CLASSIFIED", note: "internal" },
  ];
  it("the respondent sees neither who complained nor staff notes nor actor ids", () => {
    const view = JSON.stringify(complaintView(complaint(), entries, "RESPONDENT"));
    expect(view).not.toMatch(/alice|staff-a|internal|complainantId/);
  });
  it("staff see everything, with the legal actions", () => {
    const view = complaintView(complaint(), entries, "STAFF", ["STAFF"]) as Record<string, unknown>;
    expect(view).toMatchObject({ complainantId: "alice", respondentId: "bob", legalActions: ["CLASSIFY", "REJECT"] });
    expect(complaintSummary(complaint(), "COMPLAINANT")).not.toHaveProperty("complainantId");
  });
});
