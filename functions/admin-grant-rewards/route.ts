import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { staffReason } from "#lib/http/schemas";
import { ACHIEVEMENT_IDS } from "#lib/rewards/rules";

export const route = defineRoute({
  method: "POST",
  path: "/admin/rewards/grants",
  summary: "Grant points (negative: take back) or an achievement, with an Idempotency-Key; above the threshold it waits for a second staff member",
  tags: ["admin", "rewards"],
  auth: "staff",
  permission: "rewards:grant",
  body: z
    .strictObject({
      userId: z.string().check(z.minLength(1), z.maxLength(64)),
      points: z.optional(z.number().check(z.int(), z.gte(-1_000_000), z.lte(1_000_000))),
      achievementId: z.optional(z.enum(ACHIEVEMENT_IDS as [string, ...string[]])),
      reason: staffReason,
    })
    .check(z.refine((b) => (b.points === undefined) !== (b.achievementId === undefined), "Give either points or achievementId.")),
  responses: {
    201: "{ grantId, userId, points, achievementId?, reason, status: GRANTED or PENDING_APPROVAL, requestedBy, createdAt } (a retry with the same key answers the same, with Idempotent-Replayed: true)",
    400: "IDEMPOTENCY_KEY_REQUIRED, INVALID_IDEMPOTENCY_KEY, NOTHING_TO_GRANT",
    403: "SELF_GRANT",
    404: "No such user",
    409: "REWARDS_FROZEN, INSUFFICIENT_POINTS (taking back more than the balance), ACHIEVEMENT_HELD",
    422: "IDEMPOTENCY_KEY_REUSED (the key was used with another body)",
  },
});
