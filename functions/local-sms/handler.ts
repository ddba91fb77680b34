import { httpHandler, ok } from "#lib/http/handler";
import { readLocalSms } from "#lib/notify/local-sms";
import { route } from "./route";

export const handler = httpHandler(route, async () => ok({ items: await readLocalSms() }));
