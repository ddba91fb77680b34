import { auditPut } from "#lib/audit/trail";
import { type Caller, requireViewer } from "#lib/complaints/access";
import { withDeadline } from "#lib/complaints/deadlines";
import { FINAL_STATUSES } from "#lib/complaints/machine";
import { messageNotices, noticeItems } from "#lib/complaints/notices";
import { retrying, saveChange, sla } from "#lib/complaints/write";
import { getComplaint } from "#lib/data/complaint";
import { conflict } from "#lib/errors";

// POST /complaints/{id}/messages: the case's thread, written by the complainant, by staff, and by
// the respondent once mediation brought them in (their first message is their answer, which a
// resolution proposed straight from mediation waits for). A staff message is the first response
// if nothing came before it. Everyone else taking part is mailed that there is a new message.

/** A case's timeline stays readable in one response. */
export const MAX_ENTRIES = 500;

export async function postMessage(caller: Caller, complaintId: string, body: string, requestId: string) {
  return retrying(async () => {
    const { complaint: before, viewer } = requireViewer(await getComplaint(complaintId), caller);
    if (FINAL_STATUSES.includes(before.status)) throw conflict("COMPLAINT_CLOSED", `The complaint is ${before.status.toLowerCase()}; its thread is closed.`);
    if (viewer === "RESPONDENT" && !before.mediationStartedAt) throw conflict("MEDIATION_NOT_STARTED", "You can answer once the complaint is in mediation.");
    if (before.version >= MAX_ENTRIES) throw conflict("THREAD_FULL", "This complaint's thread is full; contact support.");

    const at = new Date().toISOString();
    const after = withDeadline(
      {
        ...before,
        version: before.version + 1,
        updatedAt: at,
        ...(viewer === "STAFF" && !before.firstResponseAt ? { firstResponseAt: at } : {}),
        ...(viewer === "RESPONDENT" && !before.respondentAnsweredAt ? { respondentAnsweredAt: at } : {}),
      },
      sla(),
    );
    await saveChange(before, after, { at, kind: "MESSAGE", actorRole: viewer, actorId: caller.userId, body }, [
      ...(viewer === "STAFF"
        ? [auditPut({ actorId: caller.userId, action: "COMPLAINT_MESSAGE", targetUserId: before.complainantId, requestId, subject: complaintId, details: { ticketNo: before.ticketNo } })]
        : []),
      ...(await noticeItems(after, messageNotices(after, viewer))),
    ]);
    return { complaintId, seq: after.version, at, by: viewer };
  });
}
