import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/users/{userId}/rewards",
  summary: "A user's points balance, ledger (newest first, paginated), achievements and next expiry, for the staff who grant points",
  tags: ["admin", "rewards"],
  auth: "staff",
  permission: "rewards:grant",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  query: listQuery,
  responses: {
    200: "As GET /me/rewards: { balance, frozen, ledger: [{ entryId, at, type, points, reason, requested? }], nextCursor, achievements, nextExpiry }",
    400: "INVALID_CURSOR",
    404: "No such user",
  },
});
