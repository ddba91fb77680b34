import { targetUser } from "#lib/admin/target";
import { rewardsView } from "#lib/rewards/view";

/** GET /admin/users/{userId}/rewards: what the user sees at GET /me/rewards (balance, ledger page, achievements, next expiry). No PII. */
export async function rewardsForStaff(userId: string, limit: number, cursor?: string) {
  return rewardsView({ user: await targetUser(userId) }, limit, cursor);
}
