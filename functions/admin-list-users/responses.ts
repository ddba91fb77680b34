import { defineContract } from "#lib/http/contract/define";
import { page } from "#lib/http/contract/fields";
import { staffUserSummary } from "#lib/http/contract/users";
import { route } from "./route";

export const contract = defineContract(route, { 200: page(staffUserSummary) });
