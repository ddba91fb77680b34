import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminRecomputeCredit } from "../admin-recompute-credit/responses";
import { contract as getCredit } from "../get-credit/responses";

// Routes of credit.
export const creditContracts: RouteContract[] = [getCredit, adminRecomputeCredit];
