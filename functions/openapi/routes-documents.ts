import type { RouteSpec } from "#lib/http/route";

// Routes of identity documents, staff review, audit and staff user lookup.
export const documentRoutes: RouteSpec[] = [];
