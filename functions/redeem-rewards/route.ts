import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/me/rewards/redeem",
  summary: "Redeem points (header Idempotency-Key: the same key on a retry redeems once); the balance never goes below zero",
  tags: ["rewards"],
  auth: "user",
  permission: "rewards:redeem",
  body: z.strictObject({
    points: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
    itemId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: "1–64 letters, digits and . _ : -", abort: true }), z.maxLength(64))),
  }),
  responses: {
    201: "{ balance } (a retry with the same key and body answers the same, with Idempotent-Replayed: true)",
    400: "IDEMPOTENCY_KEY_REQUIRED, INVALID_IDEMPOTENCY_KEY",
    403: "REWARDS_FROZEN (POOR credit or an incident's freeze)",
    409: "INSUFFICIENT_POINTS",
    422: "IDEMPOTENCY_KEY_REUSED (the key was used for another redemption)",
  },
});
