import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/me/rewards",
  summary: "The points balance, the ledger (newest first, paginated), the achievements held and the next expiry",
  tags: ["rewards"],
  auth: "user",
  permission: "rewards:read",
  query: listQuery,
  responses: {
    200: "{ balance, frozen, ledger: [{ entryId, at, type (EARN, REDEEM, EXPIRE, ADJUST, REVERSAL), points, reason, requested? }], nextCursor, achievements: [{ id, at, points, title }], nextExpiry: { at, points } | null }",
    400: "INVALID_CURSOR",
  },
});
