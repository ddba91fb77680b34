import { defineContract } from "#lib/http/contract/define";
import { tokens } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: tokens }, { rateLimits: ["sign-in"] });
