import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/me/complaints",
  summary: "My complaints, newest first: those I filed, or (?role=respondent) those against me in mediation or later",
  tags: ["complaints", "me"],
  auth: "user",
  permission: "complaints:file",
  query: z.extend(listQuery, { role: z._default(z.enum(["complainant", "respondent"]), "complainant") }),
  responses: { 200: "{ items: [{ complaintId, ticketNo, status, category, subject, dispute, createdAt, updatedAt }], nextCursor }" },
});
