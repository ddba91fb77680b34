import * as z from "zod/mini";
import { int, list, nullable, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";

// Identity-document submissions (lib/documents/).

export const DOCUMENT_TYPES = ["ID_CARD", "PASSPORT", "DRIVER_LICENSE"] as const;
export const SUBMISSION_STATUSES = ["AWAITING_UPLOAD", "PENDING_REVIEW", "APPROVED", "REJECTED"] as const;
export const FILE_KINDS = ["FRONT", "BACK", "SELFIE"] as const;
export const CONTENT_TYPES = ["image/jpeg", "image/png", "application/pdf"] as const;
/** Why an automatic check rejected a submission (lib/documents/checks.ts). */
export const reasonCode = z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/), z.maxLength(64));
export const reason = text(500);
/** A presigned S3 URL. */
export const signedUrl = z.url().check(z.maxLength(4096));

/**
 * The OWASP ruleset reads every member named `headers` as a response's headers and asks it for
 * Access-Control-Allow-Origin. This one is the map of request headers to send to S3; an annotation
 * (a keyword JSON Schema ignores) says so, rather than the rule being switched off.
 */
function requestHeaders<H extends z.ZodMiniType>(headers: H): H {
  z.globalRegistry.add(headers, { "Access-Control-Allow-Origin": "not applicable: request headers to send with the presigned request" });
  return headers;
}

/** A presigned request (lib/clients/s3.ts): the headers to send with it (an upload's are signed in). */
export const presigned = <H extends z.ZodMiniType>(method: "PUT" | "GET", headers: H) => ({
  url: signedUrl,
  method: z.literal(method),
  headers: requestHeaders(headers),
  expiresAt: timestamp,
});

export const uploadHeaders = object({ "content-type": oneOf(CONTENT_TYPES), "content-length": z.string().check(z.regex(/^[1-9]\d{0,7}$/), z.maxLength(8)) });

export const submissionFields = {
  submissionId: uuid,
  type: oneOf(DOCUMENT_TYPES),
  status: oneOf(SUBMISSION_STATUSES),
};

export const fileSize = int(1, 10 * 1024 * 1024);

/** A user's submissions (lib/documents/mine.ts): GET /me/documents, and staff's GET /admin/users/{userId}/documents. */
export const submissionList = object({
  items: list(
    object({
      ...submissionFields,
      reason: optional(reason),
      reasonCode: optional(reasonCode),
      createdAt: timestamp,
      submittedAt: nullable(timestamp),
      decidedAt: optional(timestamp),
    }),
    100,
  ),
});
