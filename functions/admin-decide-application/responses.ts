import { defineContract } from "#lib/http/contract/define";
import { id, object, oneOf, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ applicationId: uuid, status: oneOf(["APPROVED", "REJECTED"]), decidedAt: timestamp, decidedBy: id }) });
