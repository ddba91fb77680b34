import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { CONTENT_TYPES, FILE_KINDS, fileSize, presigned, reason, submissionFields } from "#lib/http/contract/documents";
import { id, list, nullable, object, oneOf, optional, text, timestamp } from "#lib/http/contract/fields";
import { route } from "./route";

const file = { kind: oneOf(FILE_KINDS), contentType: oneOf(CONTENT_TYPES), size: fileSize, etag: nullable(text(128)) };

export const contract = defineContract(route, {
  200: object({
    ...submissionFields,
    userId: id,
    /** Masked unless the caller holds data:pii:read. */
    fullName: text(100),
    documentNumber: text(40),
    /** The sealed copies; a submission sealed before copies existed has `url: null`. */
    files: list(z.union([object({ ...file, ...presigned("GET", object({})) }), object({ ...file, url: z.null() })]), 3),
    createdAt: timestamp,
    submittedAt: timestamp,
    decidedAt: optional(timestamp),
    decidedBy: optional(id),
    reason: optional(nullable(reason)),
  }),
});
