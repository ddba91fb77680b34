import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/health",
  summary: "Liveness",
  tags: ["ops"],
  auth: "public",
  responses: { 200: "{ status: ok }" },
});
