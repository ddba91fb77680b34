import * as z from "zod/mini";
import { CONTENT_TYPES, MAX_FILE_BYTES } from "#lib/documents/requirements";
import { defineRoute } from "#lib/http/route";
import { boundedText } from "#lib/http/schemas";

export const route = defineRoute({
  method: "POST",
  path: "/me/documents",
  summary: "Declare an identity document and get presigned upload URLs for its images",
  tags: ["documents"],
  auth: "user",
  permission: "documents:submit",
  body: z.strictObject({
    type: z.enum(["ID_CARD", "PASSPORT", "DRIVER_LICENSE"]),
    fullName: boundedText(1, 100),
    documentNumber: boundedText(1, 40),
    files: z
      .array(
        z.strictObject({
          kind: z.enum(["FRONT", "BACK", "SELFIE"]),
          contentType: z.enum(CONTENT_TYPES as ["image/jpeg", "image/png", "application/pdf"]),
          size: z.number().check(z.int(), z.gte(1), z.lte(MAX_FILE_BYTES, "At most 10 MB (10485760 bytes).")),
        }),
      )
      .check(z.minLength(1), z.maxLength(3)),
  }),
  responses: { 201: "{ submissionId, status: AWAITING_UPLOAD, uploads: [{ kind, url, method, headers, expiresAt }] } (URLs valid 5 minutes)", 409: "REVIEW_PENDING" },
});
