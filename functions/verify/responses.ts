import { defineContract } from "#lib/http/contract/define";
import { object, oneOf } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ status: oneOf(["ACTIVE"]) }) }, { rateLimits: ["code-checks"] });
