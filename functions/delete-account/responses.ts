import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, timestamp } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 202: object({ status: oneOf(["DELETING"]), requestedAt: timestamp }) }, { rateLimits: ["sign-in"] });
