import { defineContract } from "#lib/http/contract/define";
import { reason, reasonCode } from "#lib/http/contract/documents";
import { object, oneOf, optional, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  202: object({ submissionId: uuid, status: oneOf(["PENDING_REVIEW", "REJECTED"]), reasonCode: optional(reasonCode), reason: optional(reason) }),
});
