import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 201: object({ applicationId: uuid, status: oneOf(["PENDING"]), createdAt: timestamp }) });
