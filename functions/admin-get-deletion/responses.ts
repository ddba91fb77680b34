import { defineContract } from "#lib/http/contract/define";
import { deletionView } from "#lib/http/contract/deletion";
import { route } from "./route";

export const contract = defineContract(route, { 200: deletionView });
