import { defineContract } from "#lib/http/contract/define";
import { id, object, oneOf } from "#lib/http/contract/fields";
import { USER_STATUSES } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ userId: id, status: oneOf(USER_STATUSES) }) });
