import { defineContract } from "#lib/http/contract/define";
import { FILE_KINDS, presigned, uploadHeaders } from "#lib/http/contract/documents";
import { list, object, oneOf, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  201: object({
    submissionId: uuid,
    status: oneOf(["AWAITING_UPLOAD"]),
    uploads: list(object({ kind: oneOf(FILE_KINDS), ...presigned("PUT", uploadHeaders) }), 3),
  }),
});
