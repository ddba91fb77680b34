import { defineContract } from "#lib/http/contract/define";
import { submissionFields } from "#lib/http/contract/documents";
import { id, object, page, text, timestamp } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  200: page(object({ ...submissionFields, userId: id, submittedAt: timestamp, fullName: text(100), documentNumber: text(40) })),
});
