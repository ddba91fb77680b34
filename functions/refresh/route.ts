import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/auth/refresh",
  summary: "New access and id tokens for a refresh token",
  tags: ["auth"],
  auth: "public",
  body: z.strictObject({ refreshToken: z.string().check(z.minLength(20), z.maxLength(8192)) }),
  responses: { 200: "Tokens", 401: "INVALID_REFRESH_TOKEN" },
});
