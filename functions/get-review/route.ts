import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/reviews/{submissionId}",
  summary: "A submission with short-lived image URLs (audited)",
  tags: ["admin"],
  auth: "staff",
  permission: "reviews:read",
  params: z.strictObject({ submissionId: z.uuid() }),
  responses: { 200: "The submission, PII masked unless data:pii:read, files: [{ kind, etag, url, expiresAt }] (the copies sealed at submit)", 404: "No such submission" },
});
