import { staffSummary } from "#lib/http/contract/complaints";
import { defineContract } from "#lib/http/contract/define";
import { page } from "#lib/http/contract/fields";
import { route } from "./route";

// The lines of the staff queue (GET /admin/complaints).
export const contract = defineContract(route, { 200: page(staffSummary) });
