import { defineContract } from "#lib/http/contract/define";
import { page } from "#lib/http/contract/fields";
import { incidentUser } from "#lib/http/contract/incidents";
import { route } from "./route";

export const contract = defineContract(route, { 200: page(incidentUser) });
