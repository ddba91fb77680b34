import { defineContract } from "#lib/http/contract/define";
import { id, list, object } from "#lib/http/contract/fields";
import { staffGroup } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ userId: id, groups: list(staffGroup, 4) }) });
