import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { shownText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/complaints/{complaintId}/satisfaction",
  summary: "Rate how a resolved complaint was handled (the complainant, once, 1–5); rating a RESOLVED complaint closes it",
  tags: ["complaints"],
  auth: "user",
  permission: "complaints:file",
  params: z.strictObject({ complaintId: z.uuid() }),
  body: z.strictObject({
    rating: z.number().check(z.int("A whole number from 1 to 5."), z.gte(1), z.lte(5)),
    comment: z.optional(shownText(1000)),
  }),
  responses: { 201: "{ complaintId, rating, status }", 403: "COMPLAINANT_ONLY", 404: "No such complaint", 409: "ALREADY_RATED, NOT_RESOLVED" },
});
