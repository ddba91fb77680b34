import { defineContract } from "#lib/http/contract/define";
import { creditView } from "#lib/http/contract/credit";
import { route } from "./route";

export const contract = defineContract(route, { 200: creditView });
