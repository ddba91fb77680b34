import { complaintSummary } from "#lib/complaints/views";
import { batchGet } from "#lib/data/batch";
import { complaintKey, complaintLinkPrefix, fromComplaintItem, type LinkRole } from "#lib/data/complaint";
import { userPk } from "#lib/data/keys";
import { queryPage } from "#lib/data/query";

// GET /me/complaints?role=: the complaints a user filed (default), or those against them that
// mediation brought them into. Newest first: a page of links in the user's own partition, then the
// complaints themselves in one BatchGetItem.

export type MyRole = "complainant" | "respondent";

export async function myComplaints(userId: string, role: MyRole, limit: number, cursor?: string) {
  const link: LinkRole = role === "complainant" ? "FILED" : "AGAINST";
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
  const viewer = role === "complainant" ? "COMPLAINANT" : "RESPONDENT";
  return { items: complaints.flatMap((item) => fromComplaintItem(item) ?? []).map((c) => complaintSummary(c, viewer)), nextCursor: page.nextCursor };
}
