import { type AuditQuery, listAudit } from "#lib/audit/trail";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query: { limit, cursor, ...by } }) => ok(await listAudit(by as AuditQuery, limit, cursor)));
