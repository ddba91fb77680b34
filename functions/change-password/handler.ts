import { httpHandler, noContent } from "#lib/http/handler";
import { changePassword } from "#lib/identity/passwords";
import { route } from "./route";

export const handler = httpHandler(route, async ({ auth, body, client }) => {
  await changePassword(auth, body, client.ip);
  return noContent();
});
