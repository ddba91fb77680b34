import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 202: object({ incidentId: uuid, status: oneOf(["QUEUED"]) }) });
