import { defineContract } from "#lib/http/contract/define";
import { route } from "./route";

export const contract = defineContract(route, { 204: null }, { rateLimits: ["sign-in"] });
