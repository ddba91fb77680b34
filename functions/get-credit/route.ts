import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/me/credit",
  summary: "The user's credit score, its factors, the reasons it is not higher, entitlements and history",
  tags: ["credit"],
  auth: "user",
  permission: "credit:read",
  responses: { 200: "{ score, tier, factors: [{ name, score, weight }], reasons, reasonCodes, entitlements, restrictions, history: [{ at, score, tier }], counters }" },
});
