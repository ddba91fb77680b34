import { httpHandler, ok } from "#lib/http/handler";
import { register } from "#lib/identity/registration";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body }) => {
  const { verification, ...result } = await register(body);
  return ok({ ...result, verification: { channel: verification.channel, destination: verification.destination } }, 201);
});
