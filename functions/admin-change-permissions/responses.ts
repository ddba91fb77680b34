import { defineContract } from "#lib/http/contract/define";
import { id, list, object } from "#lib/http/contract/fields";
import { permission } from "#lib/http/contract/identity";
import { route } from "./route";

const permissions = list(permission, 64);

export const contract = defineContract(route, { 200: object({ userId: id, permissions, grants: permissions, revokes: permissions }) });
