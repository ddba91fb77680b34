import type { Viewer } from "#lib/complaints/access";
import { legalActions, type Role } from "#lib/complaints/machine";
import type { Complaint } from "#lib/data/complaint";
import type { ComplaintEntry } from "#lib/data/complaint-entry";

// What each viewer sees of a complaint. The parties see the case, its decision and the thread,
// with authors as roles (never user ids) and without staff notes; the respondent's view leaves
// out who complained and the complainant's rating. Staff see everything, with the actions the
// process allows next.

const decided = (c: Complaint) => c.resolvedAt !== undefined && (c.status === "RESOLVED" || c.status === "CLOSED");

function partyFields(c: Complaint) {
  return {
    complaintId: c.complaintId,
    ticketNo: c.ticketNo,
    status: c.status,
    category: c.category,
    channel: c.channel,
    subject: c.subject,
    description: c.description,
    ...(c.orderRef ? { orderRef: c.orderRef } : {}),
    dispute: c.respondentId !== undefined,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
    resolutionDueAt: c.resolutionDueAt,
    ...(decided(c) && c.proposal ? { resolution: { outcome: c.proposal.outcome, text: c.proposal.resolution, resolvedAt: c.resolvedAt } } : {}),
    ...(c.status === "REJECTED" ? { rejectedReason: c.rejectedReason } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
  };
}

const partyEntry = (e: ComplaintEntry) => ({
  seq: e.seq,
  at: e.at,
  kind: e.kind,
  by: e.actorRole,
  ...(e.action ? { action: e.action } : {}),
  ...(e.to ? { status: e.to } : {}),
  ...(e.kind === "MESSAGE" ? { body: e.body } : {}),
});

export function complaintView(c: Complaint, entries: ComplaintEntry[], viewer: Viewer, staffRoles: readonly Role[] = []) {
  switch (viewer) {
    case "COMPLAINANT":
      return {
        ...partyFields(c),
        ...(c.respondentId ? { againstUserId: c.respondentId } : {}),
        firstResponseDueAt: c.firstResponseDueAt,
        ...(c.satisfaction ? { satisfaction: c.satisfaction } : {}),
        canRate: decided(c) && !c.satisfaction,
        timeline: entries.map(partyEntry),
      };
    case "RESPONDENT":
      return { ...partyFields(c), timeline: entries.filter((e) => e.kind !== "SATISFACTION").map(partyEntry) };
    case "STAFF":
      return { ...c, dispute: c.respondentId !== undefined, legalActions: legalActions(c, staffRoles), timeline: entries };
  }
}

/** One line of a listing. */
export function complaintSummary(c: Complaint, viewer: Viewer) {
  const common = { complaintId: c.complaintId, ticketNo: c.ticketNo, status: c.status, category: c.category, subject: c.subject, dispute: c.respondentId !== undefined, createdAt: c.createdAt, updatedAt: c.updatedAt };
  if (viewer !== "STAFF") return common;
  return {
    ...common,
    channel: c.channel,
    priority: c.priority,
    complainantId: c.complainantId,
    ...(c.respondentId ? { respondentId: c.respondentId } : {}),
    version: c.version,
    ...(c.due ? { due: c.due } : {}),
    escalated: (c.escalations ?? []).map((e) => e.kind),
  };
}
