import { noContent } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { changePassword } from "#lib/identity/passwords";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body, client }) => {
  await changePassword(auth, body, client);
  return noContent();
});
