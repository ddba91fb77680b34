import { noContent } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { logout } from "#lib/identity/sessions";
import { route } from "./route";

export const handler = securedHandler(route, async ({ body, auth }) => {
  await logout(auth.userId, auth.sessionId, body.allDevices ?? false);
  return noContent();
});
