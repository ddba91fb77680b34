import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { boundedText, shownText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/feedback",
  summary: "Send general feedback about the platform",
  tags: ["feedback"],
  auth: "user",
  permission: "feedback:give",
  body: z.strictObject({
    topic: boundedText(1, 100),
    body: shownText(5000).check(z.trim(), z.minLength(1)),
    rating: z.optional(z.number().check(z.int("A whole number from 1 to 5."), z.gte(1), z.lte(5))),
  }),
  responses: { 201: "{ feedbackId, createdAt }", 429: "RATE_LIMITED (the day's feedback), with Retry-After" },
});
