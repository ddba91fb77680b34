import { defineContract } from "#lib/http/contract/define";
import { id, nullable, object, oneOf, timestamp } from "#lib/http/contract/fields";
import { LEVELS } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ userId: id, level: oneOf(LEVELS), pinnedUntil: nullable(timestamp) }) });
