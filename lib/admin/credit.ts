import type { Staff } from "#lib/admin/staff-change";
import { recordAudit } from "#lib/audit/trail";
import { recomputeNow } from "#lib/credit/recompute";

/** POST /admin/users/{userId}/credit/recompute: recomputes now and records who asked (after the fact: a retry recomputes and records again). */
export async function recomputeForStaff(staff: Staff, userId: string, requestId: string) {
  const credit = await recomputeNow(userId, requestId);
  await recordAudit([{ actorId: staff.userId, action: "CREDIT_RECOMPUTED", targetUserId: userId, requestId, details: { score: credit.score, tier: credit.tier } }]);
  return credit;
}
