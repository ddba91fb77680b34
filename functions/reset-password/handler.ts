import { httpHandler, noContent } from "#lib/http/handler";
import { resetPassword } from "#lib/identity/passwords";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => {
  await resetPassword(body.login, body.code, body.newPassword, client);
  return noContent();
});
