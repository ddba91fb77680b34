import { targetUser } from "#lib/admin/target";
import { complaintsOf } from "#lib/complaints/mine";

/**
 * GET /admin/users/{userId}/complaints?role=: the complaints the user filed, or (respondent) those
 * against them that reached mediation (the links the user's partition holds), as lines of the
 * staff queue: status, priority, the running SLA deadline, escalations.
 */
export async function complaintsForStaff(userId: string, role: "complainant" | "respondent", limit: number, cursor?: string) {
  const [, page] = await Promise.all([targetUser(userId), complaintsOf(userId, role === "complainant" ? "FILED" : "AGAINST", "STAFF", limit, cursor)]);
  return page;
}
