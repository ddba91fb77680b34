import * as z from "zod/mini";
import { ACTIONS } from "#lib/complaints/machine";
import { CATEGORIES, CHANNELS, OUTCOMES, PRIORITIES, STATUSES } from "#lib/data/complaint-values";
import { bool, id, int, list, mapOf, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";

// Complaints as each viewer sees them (lib/complaints/views.ts): the parties see the case and its
// thread with authors as roles; the respondent not who complained; staff everything.

const DEADLINES = ["FIRST_RESPONSE", "RESOLUTION", "AUTO_CLOSE"] as const;
const ROLES = ["COMPLAINANT", "RESPONDENT", "STAFF", "SYSTEM"] as const;
const KINDS = ["FILED", "TRANSITION", "MESSAGE", "ESCALATED", "SATISFACTION"] as const;
export const ticketNo = z.string().check(z.regex(/^C-\d{8}-\d{4,6}$/), z.maxLength(16));
export const version = int(1, 100_000);
const seq = int(1, 100_000);
const status = oneOf(STATUSES);
const satisfaction = object({ rating: int(1, 5), comment: optional(text(1000)), at: timestamp });

const caseFields = {
  complaintId: uuid,
  ticketNo,
  status,
  category: oneOf(CATEGORIES),
  channel: oneOf(CHANNELS),
  subject: text(200),
  description: text(5000),
  orderRef: optional(text(64)),
  dispute: bool,
  createdAt: timestamp,
  updatedAt: timestamp,
  version,
  resolutionDueAt: timestamp,
  closedAt: optional(timestamp),
};

const partyFields = {
  ...caseFields,
  /** Once RESOLVED (or CLOSED after it): the decision. */
  resolution: optional(object({ outcome: oneOf(OUTCOMES), text: text(2000), resolvedAt: timestamp })),
  rejectedReason: optional(text(500)),
};

const partyEntry = object({ seq, at: timestamp, kind: oneOf(KINDS), by: oneOf(ROLES), action: optional(oneOf(ACTIONS)), status: optional(status), body: optional(text(2000)) });

export const complainantView = object({
  ...partyFields,
  /** The respondent; `deleted-user` once their account is deleted. */
  againstUserId: optional(id),
  firstResponseDueAt: timestamp,
  satisfaction: optional(satisfaction),
  canRate: bool,
  timeline: list(partyEntry, 1000),
});

export const respondentView = object({ ...partyFields, timeline: list(partyEntry, 1000) });

const staffEntry = object({
  complaintId: uuid,
  seq,
  at: timestamp,
  kind: oneOf(KINDS),
  actorRole: oneOf(ROLES),
  actorId: optional(id),
  action: optional(text(32)),
  from: optional(text(32)),
  to: optional(text(32)),
  /** Staff's note on a transition: staff eyes only. */
  note: optional(text(500)),
  body: optional(text(2000)),
  details: optional(mapOf(z.union([text(500), int(-1_000_000_000, 1_000_000_000)]))),
});

const deadline = object({ kind: oneOf(DEADLINES), at: timestamp });
export const creditEvent = object({ eventId: text(128), result: oneOf(["RECORDED", "DUPLICATE", "NO_SUCH_USER"]) });

export const staffView = object({
  ...caseFields,
  complainantId: id,
  respondentId: optional(id),
  priority: oneOf(PRIORITIES),
  firstResponseDueAt: timestamp,
  firstResponseAt: optional(timestamp),
  due: optional(deadline),
  escalations: optional(list(object({ kind: oneOf(DEADLINES), at: timestamp, priorityBefore: oneOf(PRIORITIES) }), 10)),
  mediationStartedAt: optional(timestamp),
  respondentAnsweredAt: optional(timestamp),
  proposal: optional(object({ resolution: text(2000), outcome: oneOf(OUTCOMES), proposedBy: id, proposedAt: timestamp })),
  approvedBy: optional(id),
  approvedAt: optional(timestamp),
  resolvedAt: optional(timestamp),
  closedBy: optional(oneOf(["STAFF", "COMPLAINANT", "SYSTEM"])),
  rejectedReason: optional(text(500)),
  satisfaction: optional(satisfaction),
  creditEvent: optional(creditEvent),
  legalActions: list(oneOf(ACTIONS), ACTIONS.length),
  timeline: list(staffEntry, 1000),
});

const summaryFields = { complaintId: uuid, ticketNo, status, category: oneOf(CATEGORIES), subject: text(200), dispute: bool, createdAt: timestamp, updatedAt: timestamp };

/** A line of the user's own listing. */
export const partySummary = object(summaryFields);

/** A line of the staff queue. */
export const staffSummary = object({
  ...summaryFields,
  channel: oneOf(CHANNELS),
  priority: oneOf(PRIORITIES),
  complainantId: id,
  respondentId: optional(id),
  version,
  due: optional(deadline),
  escalated: list(oneOf(DEADLINES), 10),
});
