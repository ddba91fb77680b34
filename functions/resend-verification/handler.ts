import { httpHandler } from "#lib/http/handler";
import { resendVerification } from "#lib/identity/verification";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => {
  await resendVerification(body.login, client);
  return { status: 202 };
});
