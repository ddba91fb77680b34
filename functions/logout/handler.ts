import { httpHandler, noContent } from "#lib/http/handler";
import { logout } from "#lib/identity/sessions";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, auth }) => {
  await logout(auth.userId, auth.sessionId, body.allDevices ?? false);
  return noContent();
});
