import { type SlaSettings, withDeadline } from "#lib/complaints/deadlines";
import type { ActionFields, Actor, Transition } from "#lib/complaints/machine";
import type { Complaint } from "#lib/data/complaint";

// What a transition `check` allowed changes on the complaint: pure, so the whole process can be
// played out in unit tests. The version goes up by one with every write.

const isStaff = (actor: Actor) => actor.roles.includes("STAFF") || actor.roles.includes("APPROVER");

export function advance(c: Complaint, t: Transition, fields: ActionFields, actor: Actor, at: string, sla: SlaSettings): Complaint {
  const next: Complaint = { ...c, status: t.to, version: c.version + 1, updatedAt: at };
  // Any staff action on the case is its first response (the 24-hour deadline).
  if (isStaff(actor) && !next.firstResponseAt) next.firstResponseAt = at;
  switch (t.action) {
    case "CLASSIFY":
      next.category = fields.category ?? c.category;
      next.priority = fields.priority ?? c.priority;
      break;
    case "START_MEDIATION":
      next.mediationStartedAt = at;
      break;
    case "PROPOSE_RESOLUTION":
      next.proposal = { resolution: fields.resolution ?? "", outcome: fields.outcome ?? "NOT_UPHELD", proposedBy: actor.userId ?? "", proposedAt: at };
      break;
    case "RETURN_RESOLUTION":
      delete next.proposal;
      break;
    case "APPROVE_RESOLUTION":
      next.approvedBy = actor.userId;
      next.approvedAt = at;
      break;
    case "RESOLVE":
      next.resolvedAt = at;
      break;
    case "CLOSE":
      next.closedAt = at;
      next.closedBy = actor.roles.includes("SYSTEM") ? "SYSTEM" : actor.roles.includes("COMPLAINANT") ? "COMPLAINANT" : "STAFF";
      break;
    case "REJECT":
      next.rejectedReason = fields.reason;
      next.closedAt = at;
      break;
  }
  return withDeadline(next, sla);
}
