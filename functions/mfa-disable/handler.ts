import { noContent } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { disableMfa } from "#lib/mfa/enrolment";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, body, client }) => {
  await disableMfa(auth, body.password, body.code, client);
  return noContent();
});
