import { httpHandler, ok } from "#lib/http/handler";
import { completeChallenge } from "#lib/identity/mfa-challenge";
import { route } from "./route";

export const handler = httpHandler(route, async ({ body, client }) => ok(await completeChallenge(body.challengeId, body.code, client)));
