import { httpHandler } from "#lib/http/handler";
import { forgotPassword } from "#lib/identity/passwords";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => {
  await forgotPassword(body.login, client);
  return { status: 202 };
});
