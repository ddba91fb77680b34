import { defineContract } from "#lib/http/contract/define";
import { list, object, text, timestamp } from "#lib/http/contract/fields";
import { LOCAL_SMS_SHOWN } from "#lib/notify/local-sms";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ items: list(object({ at: timestamp, to: text(16), text: text(1600) }), LOCAL_SMS_SHOWN) }) });
