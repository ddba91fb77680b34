import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminApproveRewardGrant } from "../admin-approve-reward-grant/responses";
import { contract as adminGetUserRewards } from "../admin-get-user-rewards/responses";
import { contract as adminGrantRewards } from "../admin-grant-rewards/responses";
import { contract as adminListRewardGrants } from "../admin-list-reward-grants/responses";
import { contract as getRewards } from "../get-rewards/responses";
import { contract as redeemRewards } from "../redeem-rewards/responses";

// Routes of rewards.
export const rewardContracts: RouteContract[] = [getRewards, redeemRewards, adminGrantRewards, adminListRewardGrants, adminApproveRewardGrant, adminGetUserRewards];
