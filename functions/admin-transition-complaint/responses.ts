import { PRIORITIES, STATUSES } from "#lib/data/complaint-values";
import { creditEvent, ticketNo, version } from "#lib/http/contract/complaints";
import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, optional, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  200: object({ complaintId: uuid, ticketNo, status: oneOf(STATUSES), priority: oneOf(PRIORITIES), version, creditEvent: optional(creditEvent) }),
});
