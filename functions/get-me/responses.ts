import { defineContract } from "#lib/http/contract/define";
import { me } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: me });
