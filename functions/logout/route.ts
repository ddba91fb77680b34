import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "POST",
  path: "/auth/logout",
  summary: "End this session, or every session of the user",
  tags: ["auth"],
  auth: "user",
  permission: "account:security",
  body: z.strictObject({ allDevices: z.optional(z.boolean()) }),
  responses: { 204: "Signed out; the token used stops working at once" },
});
