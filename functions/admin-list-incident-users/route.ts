import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/incidents/{incidentId}/users",
  summary: "The users an incident acts on, with each measure taken (when, outcome) and a notice's evidence (message, channel, queued, delivered)",
  tags: ["admin", "incidents"],
  auth: "staff",
  permission: "incidents:manage",
  params: z.strictObject({ incidentId: z.uuid() }),
  query: listQuery,
  responses: { 200: "{ items: [{ userId, selectedAt, measures: { <step>: { at, outcome, messageId?, channel?, status?, deliveredAt? } } }], nextCursor }", 404: "No such incident" },
});
