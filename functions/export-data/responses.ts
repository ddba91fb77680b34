import { defineContract } from "#lib/http/contract/define";
import { dataExport } from "#lib/http/contract/export";
import { route } from "./route";

export const contract = defineContract(route, { 200: dataExport });
