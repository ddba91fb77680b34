import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advance } from "#lib/complaints/advance";
import { ACTIONS, type Action, type ActionFields, type Actor, check, legalActions, type Role } from "#lib/complaints/machine";
import type { Complaint } from "#lib/data/complaint";
import { STATUSES } from "#lib/data/complaint-values";

// The complaint process as data: every (status, action) pair of every kind of complaint is
// checked against the expected table below, written out by hand; then random action sequences
// played through check + advance keep the process's promises (four eyes, mediation for
// disputes, terminal end states, one version per write).

const SLA = { firstResponseHours: 24, resolutionDays: 7, closeAfterDays: 7 };
const FIELDS: Required<ActionFields> = { category: "PAYMENT", priority: "HIGH", resolution: "Refund the deposit", outcome: "UPHELD", reason: "Duplicate of an earlier complaint" };
const STAFF: Actor = { userId: "staff-a", roles: ["STAFF", "APPROVER"] };

type Flavour = "plain" | "dispute" | "answered";
const FLAVOURS: Flavour[] = ["plain", "dispute", "answered"];

/** status → action → next status, per kind of complaint (what the README's state table says). */
function expected(flavour: Flavour): Record<string, Partial<Record<Action, string>>> {
  const dispute = flavour !== "plain";
  return {
    RECEIVED: { CLASSIFY: "CLASSIFIED", REJECT: "REJECTED" },
    CLASSIFIED: dispute ? { START_MEDIATION: "MEDIATION", REJECT: "REJECTED" } : { START_INVESTIGATION: "INVESTIGATING", REJECT: "REJECTED" },
    MEDIATION: { START_INVESTIGATION: "INVESTIGATING", REJECT: "REJECTED", ...(flavour === "answered" ? { PROPOSE_RESOLUTION: "RESOLUTION_PROPOSED" } : {}) },
    INVESTIGATING: { PROPOSE_RESOLUTION: "RESOLUTION_PROPOSED", REJECT: "REJECTED" },
    RESOLUTION_PROPOSED: { RETURN_RESOLUTION: "INVESTIGATING", APPROVE_RESOLUTION: "RESOLUTION_APPROVED" },
    RESOLUTION_APPROVED: { RESOLVE: "RESOLVED" },
    RESOLVED: { CLOSE: "CLOSED" },
    CLOSED: {},
    REJECTED: {},
  };
}
const WHO: Record<Action, Role[]> = {
  CLASSIFY: ["STAFF"],
  START_MEDIATION: ["STAFF"],
  START_INVESTIGATION: ["STAFF"],
  PROPOSE_RESOLUTION: ["STAFF"],
  RETURN_RESOLUTION: ["APPROVER"],
  APPROVE_RESOLUTION: ["APPROVER"],
  RESOLVE: ["STAFF"],
  CLOSE: ["STAFF", "COMPLAINANT", "SYSTEM"],
  REJECT: ["STAFF"],
};

const at = "2026-12-02T08:00:00.000Z";
function complaint(overrides: Partial<Complaint> = {}): Complaint {
  return {
    complaintId: "c1",
    ticketNo: "C-20261202-0001",
    complainantId: "alice",
    category: "SERVICE",
    channel: "APP",
    subject: "s",
    description: "d",
    status: "RECEIVED",
    priority: "NORMAL",
    version: 1,
    createdAt: at,
    updatedAt: at,
    firstResponseDueAt: "2026-12-03T08:00:00.000Z",
    resolutionDueAt: "2026-12-09T08:00:00.000Z",
    ...overrides,
  };
}
const ofFlavour = (flavour: Flavour, status: Complaint["status"]) =>
  complaint({
    status,
    ...(flavour !== "plain" ? { respondentId: "bob", mediationStartedAt: at } : {}),
    ...(flavour === "answered" ? { respondentAnsweredAt: at } : {}),
    proposal: { resolution: "r", outcome: "UPHELD", proposedBy: "staff-b", proposedAt: at },
  });

describe("every transition of the table", () => {
  for (const flavour of FLAVOURS) {
    for (const status of STATUSES) {
      const legal = expected(flavour)[status] ?? {};
      for (const action of ACTIONS) {
        const next = legal[action];
        it(`${flavour}: ${status} + ${action} → ${next ?? "409 ILLEGAL_TRANSITION"}`, () => {
          const c = ofFlavour(flavour, status);
          const verdict = check(c, action, STAFF, FIELDS);
          if (next === undefined) {
            expect(verdict).toEqual({ ok: false, error: "ILLEGAL_TRANSITION", legal: Object.keys(legal).filter((a) => WHO[a as Action].some((r) => STAFF.roles.includes(r))).sort(byProcess) });
            return;
          }
          const allowedBy = WHO[action];
          for (const role of ["STAFF", "APPROVER", "COMPLAINANT", "SYSTEM"] as Role[]) {
            const v = check(c, action, { userId: "someone-else", roles: [role] }, FIELDS);
            if (allowedBy.includes(role)) expect(v).toMatchObject({ ok: true, transition: { to: next } });
            else expect(v).toEqual({ ok: false, error: "NOT_PERMITTED", needs: allowedBy });
          }
          expect(legalActions(c)).toContain(action);
        });
      }
    }
  }
});

const byProcess = (a: string, b: string) => ACTIONS.indexOf(a as Action) - ACTIONS.indexOf(b as Action);

describe("four eyes", () => {
  const proposed = complaint({ status: "RESOLUTION_PROPOSED", proposal: { resolution: "r", outcome: "UPHELD", proposedBy: "staff-a", proposedAt: at } });
  it("refuses the approval of the staff member who proposed the resolution", () => {
    expect(check(proposed, "APPROVE_RESOLUTION", { userId: "staff-a", roles: ["STAFF", "APPROVER"] })).toEqual({ ok: false, error: "SELF_APPROVAL" });
  });
  it("accepts another approver, and records them", () => {
    const verdict = check(proposed, "APPROVE_RESOLUTION", { userId: "staff-b", roles: ["APPROVER"] });
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(advance(proposed, verdict.transition, {}, { userId: "staff-b", roles: ["APPROVER"] }, at, SLA)).toMatchObject({ approvedBy: "staff-b", status: "RESOLUTION_APPROVED" });
  });
  it("needs the approve permission, not just manage", () => {
    expect(check(proposed, "APPROVE_RESOLUTION", { userId: "staff-b", roles: ["STAFF"] })).toEqual({ ok: false, error: "NOT_PERMITTED", needs: ["APPROVER"] });
  });
});

describe("action fields", () => {
  it.each([
    ["CLASSIFY", { category: "PAYMENT" }, ["priority"]],
    ["PROPOSE_RESOLUTION", { outcome: "UPHELD" }, ["resolution"]],
    ["REJECT", {}, ["reason"]],
  ] as [Action, ActionFields, string[]][])("%s without %j misses %j", (action, fields, missing) => {
    expect(check(complaint({ status: "INVESTIGATING" }), action, STAFF, fields)).toEqual({ ok: false, error: "MISSING_FIELDS", fields: missing });
  });
});

describe("random sequences of actions", () => {
  // Mostly actions the complaint allows (so runs get deep into the process), sometimes any action.
  const step = fc.record({
    pick: fc.nat(),
    anyAction: fc.boolean(),
    answer: fc.boolean(),
    by: fc.constantFrom("staff-a", "staff-b"),
    outcome: fc.constantFrom("UPHELD", "PARTIALLY_UPHELD", "NOT_UPHELD" as const),
  });
  it("keep the process's promises", () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 30 }), (dispute, steps) => {
        let c = complaint(dispute ? { respondentId: "bob" } : {});
        const seen = new Set<string>([c.status]);
        for (const s of steps) {
          if (s.answer && c.status === "MEDIATION") c = { ...c, respondentAnsweredAt: at }; // the respondent's message
          const actor: Actor = { userId: s.by, roles: ["STAFF", "APPROVER"] };
          const legal = legalActions(c, actor.roles);
          const action = !s.anyAction && legal.length > 0 ? (legal[s.pick % legal.length] as Action) : (ACTIONS[s.pick % ACTIONS.length] as Action);
          const verdict = check(c, action, actor, { ...FIELDS, outcome: s.outcome });
          // legalActions lists exactly the actions that are not illegal now.
          expect(verdict.ok === false && verdict.error === "ILLEGAL_TRANSITION").toBe(!legal.includes(action));
          if (!verdict.ok) {
            if (verdict.error === "SELF_APPROVAL") expect(c.proposal?.proposedBy).toBe(s.by);
            continue;
          }
          const next = advance(c, verdict.transition, { ...FIELDS, outcome: s.outcome }, actor, at, SLA);
          expect(next.version).toBe(c.version + 1);
          expect(next.status).toBe(verdict.transition.to);
          if (next.status === "RESOLUTION_APPROVED") expect(next.approvedBy).not.toBe(next.proposal?.proposedBy);
          if (next.status === "RESOLUTION_PROPOSED" && dispute) expect(seen.has("MEDIATION")).toBe(true);
          if (next.status === "RESOLVED") expect(seen.has("RESOLUTION_APPROVED")).toBe(true);
          if (!dispute) expect(next.status).not.toBe("MEDIATION");
          c = next;
          seen.add(c.status);
          reached.add(c.status);
        }
        if (c.status === "CLOSED" || c.status === "REJECTED") {
          expect(legalActions(c)).toEqual([]);
          expect(c.due).toBeUndefined();
        }
      }),
      // CLOSED lies six legal steps deep: 500 random walks missed it now and then, 3,000 do not.
      { numRuns: 3000 },
    );
    expect([...reached].sort()).toEqual(STATUSES.filter((s) => s !== "RECEIVED").sort()); // every status was played through
  });
});
