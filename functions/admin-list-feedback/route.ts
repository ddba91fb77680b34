import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/feedback",
  summary: "General feedback, newest first",
  tags: ["admin", "feedback"],
  auth: "staff",
  permission: "feedback:read",
  query: listQuery,
  responses: { 200: "{ items: [{ feedbackId, userId, topic, body, rating?, createdAt }], nextCursor }" },
});
