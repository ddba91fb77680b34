import { complaintSummary } from "#lib/complaints/views";
import { type ComplaintStatus, complaintQueuePrefix, findByTicket, fromComplaintItem } from "#lib/data/complaint";
import { shardedPage } from "#lib/data/query";

// GET /admin/complaints?status=: a staff queue, the most urgent first and, within a priority, the
// oldest first. The queue of a status is spread over 16 GSI1 partitions (no hot partition however
// busy it gets) whose sort key starts with the priority's rank; the pages merge them in that order.

export async function complaintQueue(status: ComplaintStatus, limit: number, cursor?: string) {
  const page = await shardedPage(complaintQueuePrefix(status), limit, cursor);
  return { items: page.items.flatMap((item) => fromComplaintItem(item) ?? []).map((c) => complaintSummary(c, "STAFF")), nextCursor: page.nextCursor };
}

/** GET /admin/complaints?ticketNo=: the one complaint a ticket number names (quoted on the phone, in a mail…). */
export async function complaintByTicket(ticketNo: string) {
  const complaint = await findByTicket(ticketNo);
  return { items: complaint ? [complaintSummary(complaint, "STAFF")] : [], nextCursor: null };
}
