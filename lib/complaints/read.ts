import { type Caller, requireViewer, staffRoles } from "#lib/complaints/access";
import { complaintView } from "#lib/complaints/views";
import { readCase } from "#lib/data/complaint-entry";

// GET /complaints/{id}: one case with its timeline, in the view of the caller's part in it
// (complainant, respondent, staff); anyone else gets 404.

export async function readComplaint(caller: Caller, complaintId: string) {
  const { complaint: found, entries } = await readCase(complaintId);
  const { complaint, viewer } = requireViewer(found, caller);
  return complaintView(complaint, entries, viewer, staffRoles(caller.permissions));
}
