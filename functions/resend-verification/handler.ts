import { httpHandler } from "#lib/http/handler";
import { resendVerification } from "#lib/identity/registration";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body }) => {
  await resendVerification(body.login);
  return { status: 202 };
});
