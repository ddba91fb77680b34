import type { Category, Complaint, ComplaintStatus, Outcome, Priority } from "#lib/data/complaint";

// The complaint process as data: every legal transition (from, action, to), who may perform it
// and the condition it needs. `check` is the only judge of a requested action; nothing else in
// lib/complaints decides what may happen next.
//
//   RECEIVED ─CLASSIFY─▶ CLASSIFIED ─START_INVESTIGATION (not a dispute)─▶ INVESTIGATING ─PROPOSE_RESOLUTION─▶ RESOLUTION_PROPOSED
//                            └─START_MEDIATION (dispute)─▶ MEDIATION ─START_INVESTIGATION─▶ INVESTIGATING
//                                                            └─PROPOSE_RESOLUTION (the respondent answered)─▶ RESOLUTION_PROPOSED
//   RESOLUTION_PROPOSED ─APPROVE_RESOLUTION (another staff member)─▶ RESOLUTION_APPROVED ─RESOLVE─▶ RESOLVED ─CLOSE─▶ CLOSED
//   RESOLUTION_PROPOSED ─RETURN_RESOLUTION─▶ INVESTIGATING;  RECEIVED…INVESTIGATING ─REJECT─▶ REJECTED

export const ACTIONS = [
  "CLASSIFY",
  "START_MEDIATION",
  "START_INVESTIGATION",
  "PROPOSE_RESOLUTION",
  "RETURN_RESOLUTION",
  "APPROVE_RESOLUTION",
  "RESOLVE",
  "CLOSE",
  "REJECT",
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * STAFF holds complaints:manage, APPROVER complaints:approve; the COMPLAINANT closes a resolved
 * complaint by rating it; SYSTEM is the nightly job (closing 7 days after RESOLVED).
 */
export type Role = "STAFF" | "APPROVER" | "COMPLAINANT" | "SYSTEM";

type Guard = "DISPUTE" | "NOT_DISPUTE" | "RESPONDENT_ANSWERED";

export interface Transition {
  action: Action;
  from: ComplaintStatus;
  to: ComplaintStatus;
  by: readonly Role[];
  when?: Guard;
  /** Four eyes: not by the staff member who proposed the resolution. */
  notByProposer?: true;
}

const REJECTABLE: ComplaintStatus[] = ["RECEIVED", "CLASSIFIED", "MEDIATION", "INVESTIGATING"];

export const TRANSITIONS: readonly Transition[] = [
  { action: "CLASSIFY", from: "RECEIVED", to: "CLASSIFIED", by: ["STAFF"] },
  { action: "START_MEDIATION", from: "CLASSIFIED", to: "MEDIATION", by: ["STAFF"], when: "DISPUTE" },
  { action: "START_INVESTIGATION", from: "CLASSIFIED", to: "INVESTIGATING", by: ["STAFF"], when: "NOT_DISPUTE" },
  { action: "START_INVESTIGATION", from: "MEDIATION", to: "INVESTIGATING", by: ["STAFF"] },
  { action: "PROPOSE_RESOLUTION", from: "INVESTIGATING", to: "RESOLUTION_PROPOSED", by: ["STAFF"] },
  { action: "PROPOSE_RESOLUTION", from: "MEDIATION", to: "RESOLUTION_PROPOSED", by: ["STAFF"], when: "RESPONDENT_ANSWERED" },
  { action: "RETURN_RESOLUTION", from: "RESOLUTION_PROPOSED", to: "INVESTIGATING", by: ["APPROVER"] },
  { action: "APPROVE_RESOLUTION", from: "RESOLUTION_PROPOSED", to: "RESOLUTION_APPROVED", by: ["APPROVER"], notByProposer: true },
  { action: "RESOLVE", from: "RESOLUTION_APPROVED", to: "RESOLVED", by: ["STAFF"] },
  { action: "CLOSE", from: "RESOLVED", to: "CLOSED", by: ["STAFF", "COMPLAINANT", "SYSTEM"] },
  ...REJECTABLE.map((from): Transition => ({ action: "REJECT", from, to: "REJECTED", by: ["STAFF"] })),
];

/** What an action carries besides the staff note. */
export interface ActionFields {
  category?: Category;
  priority?: Priority;
  resolution?: string;
  outcome?: Outcome;
  reason?: string;
}

export const REQUIRED_FIELDS: Record<Action, readonly (keyof ActionFields)[]> = {
  CLASSIFY: ["category", "priority"],
  START_MEDIATION: [],
  START_INVESTIGATION: [],
  PROPOSE_RESOLUTION: ["resolution", "outcome"],
  RETURN_RESOLUTION: [],
  APPROVE_RESOLUTION: [],
  RESOLVE: [],
  CLOSE: [],
  REJECT: ["reason"],
};

/** What of a complaint the rules look at. */
export type MachineState = Pick<Complaint, "status" | "respondentId" | "respondentAnsweredAt" | "proposal">;

const GUARDS: Record<Guard, (c: MachineState) => boolean> = {
  DISPUTE: (c) => c.respondentId !== undefined,
  NOT_DISPUTE: (c) => c.respondentId === undefined,
  RESPONDENT_ANSWERED: (c) => c.respondentAnsweredAt !== undefined,
};

export interface Actor {
  /** Absent for the nightly job. */
  userId?: string;
  roles: readonly Role[];
}

const edgeOf = (c: MachineState, action: Action) => TRANSITIONS.find((t) => t.action === action && t.from === c.status && (!t.when || GUARDS[t.when](c)));

/** The actions the complaint allows now, for these roles (all roles when none are given), in process order. */
export function legalActions(c: MachineState, roles?: readonly Role[]): Action[] {
  return ACTIONS.filter((action) => {
    const edge = edgeOf(c, action);
    return edge !== undefined && (!roles || edge.by.some((r) => roles.includes(r)));
  });
}

export type Verdict =
  | { ok: true; transition: Transition }
  | { ok: false; error: "MISSING_FIELDS"; fields: (keyof ActionFields)[] }
  | { ok: false; error: "ILLEGAL_TRANSITION"; legal: Action[] }
  | { ok: false; error: "NOT_PERMITTED"; needs: readonly Role[] }
  | { ok: false; error: "SELF_APPROVAL" };

/** May `actor` perform `action` on the complaint as it is, with these fields? */
export function check(c: MachineState, action: Action, actor: Actor, fields: ActionFields = {}): Verdict {
  const missing = REQUIRED_FIELDS[action].filter((f) => fields[f] === undefined);
  if (missing.length > 0) return { ok: false, error: "MISSING_FIELDS", fields: missing };
  const edge = edgeOf(c, action);
  if (!edge) return { ok: false, error: "ILLEGAL_TRANSITION", legal: legalActions(c, actor.roles) };
  if (!edge.by.some((r) => actor.roles.includes(r))) return { ok: false, error: "NOT_PERMITTED", needs: edge.by };
  if (edge.notByProposer && (actor.userId === undefined || c.proposal?.proposedBy === actor.userId)) return { ok: false, error: "SELF_APPROVAL" };
  return { ok: true, transition: edge };
}

/** Statuses in which the case is still being worked on (messages, SLA deadlines). */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ["RECEIVED", "CLASSIFIED", "MEDIATION", "INVESTIGATING", "RESOLUTION_PROPOSED", "RESOLUTION_APPROVED"];
export const FINAL_STATUSES: readonly ComplaintStatus[] = ["CLOSED", "REJECTED"];
