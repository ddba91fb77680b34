import { staffSummary } from "#lib/http/contract/complaints";
import { defineContract } from "#lib/http/contract/define";
import { page } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 200: page(staffSummary) });
