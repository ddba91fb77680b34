import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/admin/rewards/grants/{grantId}/approve",
  summary: "Approve a grant waiting for a second staff member (never one's own request, never for oneself); pays it out",
  tags: ["admin", "rewards"],
  auth: "staff",
  permission: "rewards:approve",
  params: z.strictObject({ grantId: z.uuid() }),
  responses: {
    200: "{ grantId, userId, points, status: GRANTED, requestedBy, approvedBy, approvedAt, ... }",
    403: "SELF_APPROVAL, SELF_GRANT",
    404: "No such grant or user",
    409: "ALREADY_DECIDED, REWARDS_FROZEN, INSUFFICIENT_POINTS, ACHIEVEMENT_HELD",
  },
});
