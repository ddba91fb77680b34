import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users/{userId}",
  summary: "One user, for staff (PII masked unless data:pii:read; unmasked views audited)",
  tags: ["admin"],
  auth: "staff",
  permission: "users:read",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  responses: { 200: "The user", 404: "No such user" },
});
