import type { RouteSpec } from "#lib/http/route";
import { route as adminRecomputeCredit } from "../admin-recompute-credit/route";
import { route as getCredit } from "../get-credit/route";

// Routes of credit.
export const creditRoutes: RouteSpec[] = [getCredit, adminRecomputeCredit];
