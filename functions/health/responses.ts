import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, text, timestamp } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ status: oneOf(["ok"]), stage: text(64), time: timestamp }) });
