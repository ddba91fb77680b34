import { defineContract } from "#lib/http/contract/define";
import { reason } from "#lib/http/contract/documents";
import { id, nullable, object, oneOf, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  200: object({ submissionId: uuid, status: oneOf(["APPROVED", "REJECTED"]), decision: oneOf(["APPROVE", "REJECT"]), reason: nullable(reason), decidedAt: timestamp, decidedBy: id }),
});
