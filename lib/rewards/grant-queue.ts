import { fromGrantItem, type GrantStatus, grantsByStatusPrefix } from "#lib/data/reward-grant";
import { shardedPage } from "#lib/data/query";
import { grantView } from "#lib/rewards/grant";

/** GET /admin/rewards/grants?status=: the grants waiting for a second staff member (or paid), oldest first. */
export async function listGrants(status: GrantStatus, limit: number, cursor?: string) {
  const page = await shardedPage(grantsByStatusPrefix(status), limit, cursor);
  return { items: page.items.flatMap((item) => fromGrantItem(item) ?? []).map(grantView), nextCursor: page.nextCursor };
}
