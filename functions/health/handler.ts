import { config } from "#lib/config";
import { httpHandler, ok } from "#lib/http/handler";
import { route } from "./route";

export const handler = httpHandler(route, async () => ok({ status: "ok", stage: config().stage, time: new Date().toISOString() }));
