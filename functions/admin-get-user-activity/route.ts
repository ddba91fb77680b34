import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users/{userId}/activity",
  summary: "A user's sign-ins, newest first, for staff: network and device masked unless data:pii:read (unmasked reads audited)",
  tags: ["admin"],
  auth: "staff",
  permission: "users:read",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  query: listQuery,
  responses: {
    200: "{ items: [{ at, type, network (masked), browser, os, newDevice, ip? and userAgent? (data:pii:read only) }], nextCursor }",
    400: "INVALID_CURSOR",
    404: "No such user",
  },
});
