import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/me/activity",
  summary: "Sign-ins of the user, newest first",
  tags: ["me"],
  auth: "user",
  permission: "activity:read",
  query: listQuery,
  responses: { 200: "{ items: [{ at, type, ip, userAgent, newDevice }], nextCursor }" },
});
