import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users/{userId}/documents",
  summary: "A user's identity-document submissions with their status, newest first, for reviewers (no names, numbers or images: see the review routes)",
  tags: ["admin"],
  auth: "staff",
  permission: "reviews:read",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  responses: { 200: "As GET /me/documents: { items: [{ submissionId, type, status, reason?, reasonCode?, createdAt, submittedAt, decidedAt? }] }", 404: "No such user" },
});
