import type { RouteSpec } from "#lib/http/route";
import { route as adminApproveRewardGrant } from "../admin-approve-reward-grant/route";
import { route as adminGrantRewards } from "../admin-grant-rewards/route";
import { route as adminListRewardGrants } from "../admin-list-reward-grants/route";
import { route as getRewards } from "../get-rewards/route";
import { route as redeemRewards } from "../redeem-rewards/route";

// Routes of rewards.
export const rewardRoutes: RouteSpec[] = [getRewards, redeemRewards, adminGrantRewards, adminListRewardGrants, adminApproveRewardGrant];
