import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tags: ["ops"],
  auth: "public",
  responses: { 200: "OpenAPI 3.1 document" },
});
