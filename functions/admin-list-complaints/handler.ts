import { complaintByTicket, complaintQueue } from "#lib/complaints/queue";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ query }) =>
  ok(query.ticketNo ? await complaintByTicket(query.ticketNo) : await complaintQueue(query.status, query.limit, query.cursor)),
);
