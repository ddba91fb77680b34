import { defineContract } from "#lib/http/contract/define";
import { incidentDetail } from "#lib/http/contract/incidents";
import { route } from "./route";

export const contract = defineContract(route, { 200: incidentDetail });
