import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/me",
  summary: "The signed-in user",
  tags: ["me"],
  auth: "user",
  permission: "profile:read",
  responses: { 200: "The user, with level, permissions, credit and points" },
});
