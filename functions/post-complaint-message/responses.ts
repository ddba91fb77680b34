import { defineContract } from "#lib/http/contract/define";
import { int, object, oneOf, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  201: object({ complaintId: uuid, seq: int(1, 100_000), at: timestamp, by: oneOf(["COMPLAINANT", "RESPONDENT", "STAFF"]) }),
});
