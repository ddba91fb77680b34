import { defineContract } from "#lib/http/contract/define";
import { bool, object, oneOf, page, text, timestamp } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  200: page(object({ at: timestamp, type: oneOf(["LOGIN"]), ip: text(45), userAgent: text(512), newDevice: bool })),
});
