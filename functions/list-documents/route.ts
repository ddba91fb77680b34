import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/me/documents",
  summary: "The user's identity-document submissions, newest first",
  tags: ["documents"],
  auth: "user",
  permission: "profile:read",
  responses: { 200: "{ items: [{ submissionId, type, status, reason?, submittedAt, decidedAt? }] }" },
});
