import type { RouteSpec } from "#lib/http/route";
import { route as adminAnalytics } from "../admin-analytics/route";

// Routes of lifecycle and analytics (functions/analytics.yml).
export const analyticsRoutes: RouteSpec[] = [adminAnalytics];
