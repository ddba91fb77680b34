import type { Viewer } from "#lib/complaints/access";
import { complaintSummary } from "#lib/complaints/views";
import { batchGet } from "#lib/data/batch";
import { complaintKey, complaintLinkPrefix, fromComplaintItem, type LinkRole } from "#lib/data/complaint";
import { userPk } from "#lib/data/keys";
import { queryPage } from "#lib/data/query";

// GET /me/complaints?role=: the complaints a user filed (default), or those against them that
// mediation brought them into. Newest first: a page of links in the user's own partition, then the
// complaints themselves in one BatchGetItem. Staff read the same pages (GET /admin/users/{id}/complaints).

export type MyRole = "complainant" | "respondent";

/** A page of the complaints a user is linked to (FILED or AGAINST), newest first, each summarised for `viewer`. */
export async function complaintsOf(userId: string, link: LinkRole, viewer: Viewer, limit: number, cursor?: string) {
  const page = await queryPage(
    `complaints:${link}:${userId}`,
    {
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": complaintLinkPrefix(link) },
      ScanIndexForward: false,
    },
    limit,
    cursor,
  );
  const complaints = await batchGet(page.items.map((l) => complaintKey(String(l.complaintId))));
  return { items: complaints.flatMap((item) => fromComplaintItem(item) ?? []).map((c) => complaintSummary(c, viewer)), nextCursor: page.nextCursor };
}

export const myComplaints = (userId: string, role: MyRole, limit: number, cursor?: string) =>
  role === "complainant" ? complaintsOf(userId, "FILED", "COMPLAINANT", limit, cursor) : complaintsOf(userId, "AGAINST", "RESPONDENT", limit, cursor);
