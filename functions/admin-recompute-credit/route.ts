import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/admin/users/{userId}/credit/recompute",
  summary: "Recompute a user's credit score (and level) now; audited",
  tags: ["admin", "credit"],
  auth: "staff",
  permission: "credit:recompute",
  params: z.object({ userId: z.string().check(z.minLength(1), z.maxLength(128)) }),
  responses: { 200: "The credit, as in GET /me/credit", 404: "No such user" },
});
