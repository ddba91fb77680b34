import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { staffRoles } from "#lib/complaints/access";
import { advance } from "#lib/complaints/advance";
import { type Action, type ActionFields, type Actor, check, type Verdict } from "#lib/complaints/machine";
import { noticeItems, transitionNotices } from "#lib/complaints/notices";
import { recordOutcome } from "#lib/complaints/outcome";
import { changedMeanwhile, saveChange, sla } from "#lib/complaints/write";
import { getComplaint, toComplaintLinkItem } from "#lib/data/complaint";
import { AppError, forbidden, notFound, validationFailed } from "#lib/errors";

// POST /admin/complaints/{id}/transition: staff move a complaint through the process. The machine
// (machine.ts) judges the action; this module reads, writes and tells: the complaint (only if
// still at the version read), its timeline entry, the audit entry and the parties' mails in one
// transaction. RESOLVE of an upheld dispute first records the respondent's behaviour event (once).

export type Staff = Pick<AuthContext, "userId" | "permissions">;

export interface TransitionCommand extends ActionFields {
  action: Action;
  note: string;
  /** The version the caller saw: a newer one is a 409 rather than an action on a case they did not see. */
  expectedVersion?: number;
}

function refusal(verdict: Exclude<Verdict, { ok: true }>, action: Action, status: string): AppError {
  switch (verdict.error) {
    case "MISSING_FIELDS":
      return validationFailed(verdict.fields.map((f) => ({ path: `body.${f}`, message: `Required for ${action}.` })));
    case "ILLEGAL_TRANSITION":
      return new AppError(409, "ILLEGAL_TRANSITION", "Conflict", `${action} is not possible while the complaint is ${status}; possible now: ${verdict.legal.join(", ") || "nothing"}.`, {
        currentStatus: status,
        legalActions: verdict.legal,
      });
    case "NOT_PERMITTED":
      return forbidden("FORBIDDEN", `${action} needs the ${verdict.needs.includes("APPROVER") ? "complaints:approve" : "complaints:manage"} permission.`);
    case "SELF_APPROVAL":
      return forbidden("SELF_APPROVAL", "A resolution is approved by a staff member other than the one who proposed it.");
  }
}

export async function transitionComplaint(staff: Staff, complaintId: string, command: TransitionCommand, requestId: string) {
  const before = await getComplaint(complaintId);
  if (!before) throw notFound("No such complaint.");
  if (staff.userId === before.complainantId || staff.userId === before.respondentId) {
    throw forbidden("OWN_COMPLAINT", "Staff cannot handle a complaint they are a party of; another staff member must.");
  }
  if (command.expectedVersion !== undefined && command.expectedVersion !== before.version) throw changedMeanwhile();

  const actor: Actor = { userId: staff.userId, roles: staffRoles(staff.permissions) };
  const verdict = check(before, command.action, actor, command);
  if (!verdict.ok) throw refusal(verdict, command.action, before.status);

  const at = new Date().toISOString();
  const after = advance(before, verdict.transition, command, actor, at, sla());
  if (command.action === "RESOLVE") {
    const creditEvent = await recordOutcome(after, at);
    if (creditEvent) after.creditEvent = creditEvent;
  }
  const { action } = command;
  const details: Record<string, string | number> = {
    ticketNo: before.ticketNo,
    from: before.status,
    to: after.status,
    ...(command.priority ? { priority: command.priority } : {}),
    ...(command.category ? { category: command.category } : {}),
    ...(command.outcome ? { outcome: command.outcome } : {}),
  };
  await saveChange(
    before,
    after,
    { at, kind: "TRANSITION", actorRole: "STAFF", actorId: staff.userId, action, from: before.status, to: after.status, note: command.note, details },
    [
      auditPut({ actorId: staff.userId, action: `COMPLAINT_${action}`, targetUserId: before.complainantId, requestId, reason: command.note, subject: complaintId, details }),
      // Mediation brings the respondent in: the complaint shows in their list from now on.
      ...(action === "START_MEDIATION" && after.respondentId ? [{ Put: { TableName: tableName(), Item: toComplaintLinkItem(after.respondentId, "AGAINST", after) } }] : []),
      ...(await noticeItems(after, transitionNotices(before, after, action))),
    ],
  );
  return { complaintId, ticketNo: after.ticketNo, status: after.status, priority: after.priority, version: after.version, ...(after.creditEvent ? { creditEvent: after.creditEvent } : {}) };
}
