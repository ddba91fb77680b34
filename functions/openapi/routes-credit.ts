import type { RouteSpec } from "#lib/http/route";

// Routes of credit.
export const creditRoutes: RouteSpec[] = [];
