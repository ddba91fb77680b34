import { analyticsReport } from "#lib/analytics/report";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async () => ok(await analyticsReport()));
