import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/local/sms",
  summary: "SMS sent by the local stack (local stage only; 404 elsewhere)",
  tags: ["local"],
  auth: "public",
  localOnly: true,
  responses: { 200: "{ items: [{ at, to, text }] }", 404: "Not on this stage" },
});
