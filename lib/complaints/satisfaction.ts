import { type Caller, requireViewer } from "#lib/complaints/access";
import { advance } from "#lib/complaints/advance";
import { check } from "#lib/complaints/machine";
import { noticeItems, transitionNotices } from "#lib/complaints/notices";
import { retrying, saveChange, sla } from "#lib/complaints/write";
import { getComplaint } from "#lib/data/complaint";
import { conflict, forbidden } from "#lib/errors";

// POST /complaints/{id}/satisfaction: the complainant rates the handling once (1–5), after the
// complaint was resolved. Rating a RESOLVED complaint also closes it (the CLOSE transition, by the
// complainant) in the same write; a complaint the nightly job or staff closed can still be rated.
// The version condition makes "once" hold under parallel requests: the second finds the rating.

export interface Rating {
  rating: number;
  comment?: string;
}

export async function rateComplaint(caller: Caller, complaintId: string, input: Rating) {
  return retrying(async () => {
    const { complaint: before, viewer } = requireViewer(await getComplaint(complaintId), caller);
    if (viewer !== "COMPLAINANT") throw forbidden("COMPLAINANT_ONLY", "Only the complainant rates how a complaint was handled.");
    if (before.satisfaction) throw conflict("ALREADY_RATED", "You have rated this complaint already.");
    if (!before.resolvedAt || (before.status !== "RESOLVED" && before.status !== "CLOSED")) {
      throw conflict("NOT_RESOLVED", "A complaint can be rated once it is resolved.");
    }
    const at = new Date().toISOString();
    const satisfaction = { rating: input.rating, ...(input.comment ? { comment: input.comment } : {}), at };
    const close = before.status === "RESOLVED" ? check(before, "CLOSE", { userId: caller.userId, roles: ["COMPLAINANT"] }) : undefined;
    const moved = close?.ok ? advance(before, close.transition, {}, { userId: caller.userId, roles: ["COMPLAINANT"] }, at, sla()) : { ...before, version: before.version + 1, updatedAt: at };
    const after = { ...moved, satisfaction };
    await saveChange(
      before,
      after,
      { at, kind: "SATISFACTION", actorRole: "COMPLAINANT", actorId: caller.userId, ...(close?.ok ? { action: "CLOSE", from: before.status, to: after.status } : {}), details: { rating: input.rating } },
      close?.ok ? await noticeItems(after, transitionNotices(before, after, "CLOSE")) : [],
    );
    return { complaintId, rating: input.rating, status: after.status };
  });
}
