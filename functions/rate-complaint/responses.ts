import { STATUSES } from "#lib/data/complaint-values";
import { defineContract } from "#lib/http/contract/define";
import { int, object, oneOf, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 201: object({ complaintId: uuid, rating: int(1, 5), status: oneOf(STATUSES) }) });
