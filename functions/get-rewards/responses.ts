import { defineContract } from "#lib/http/contract/define";
import { rewardsOverview } from "#lib/http/contract/rewards";
import { route } from "./route";

export const contract = defineContract(route, { 200: rewardsOverview });
