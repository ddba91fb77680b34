import { recordEvent, UnknownUserError } from "#lib/credit/ingest";
import type { Complaint } from "#lib/data/complaint";
import type { BehaviorEvent } from "#lib/events/schema";
import { earnFromEvent } from "#lib/rewards/earn";

// An UPHELD or PARTIALLY_UPHELD dispute counts against the respondent's credit (and rewards)
// once: it becomes the behaviour event COMPLAINT_UPHELD whose event id is the complaint id, so
// recording it again (a retried RESOLVE, a replay) finds the id taken and counts nothing. It is
// recorded before the RESOLVE write: the outcome is final once approved (RESOLUTION_APPROVED
// leads only to RESOLVED), so a RESOLVE that loses a race and is sent again meets a DUPLICATE.
// It goes through the same two calls as an event from the behavior-events queue: the credit
// counters, then rewards (idempotent by the event id too; today this type earns nothing).

export const countsAgainstRespondent = (c: Complaint) => c.respondentId !== undefined && (c.proposal?.outcome === "UPHELD" || c.proposal?.outcome === "PARTIALLY_UPHELD");

export async function recordOutcome(c: Complaint, at: string): Promise<Complaint["creditEvent"]> {
  if (!countsAgainstRespondent(c) || !c.respondentId || !c.proposal) return undefined;
  try {
    const event: BehaviorEvent = {
      eventId: c.complaintId,
      userId: c.respondentId,
      type: "COMPLAINT_UPHELD",
      occurredAt: at,
      attributes: { outcome: c.proposal.outcome, ticketNo: c.ticketNo },
    };
    const result = await recordEvent(event);
    await earnFromEvent(event);
    return { eventId: c.complaintId, result };
  } catch (error) {
    if (error instanceof UnknownUserError) return { eventId: c.complaintId, result: "NO_SUCH_USER" };
    throw error;
  }
}
