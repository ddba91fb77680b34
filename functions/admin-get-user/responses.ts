import { defineContract } from "#lib/http/contract/define";
import { staffUserDetail } from "#lib/http/contract/users";
import { route } from "./route";

export const contract = defineContract(route, { 200: staffUserDetail });
