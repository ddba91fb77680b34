import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminAnalytics } from "../admin-analytics/responses";

// Routes of lifecycle and analytics (functions/analytics.yml).
export const analyticsContracts: RouteContract[] = [adminAnalytics];
