import type { ContentType, DocumentType, FileKind } from "#lib/data/submission";

// What a declaration must contain: the files per document type, their types and sizes.

export const CONTENT_TYPES: readonly ContentType[] = ["image/jpeg", "image/png", "application/pdf"];
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The images each document type needs, exactly. */
export const REQUIRED_KINDS: Record<DocumentType, FileKind[]> = {
  ID_CARD: ["FRONT", "BACK", "SELFIE"],
  DRIVER_LICENSE: ["FRONT", "BACK", "SELFIE"],
  PASSPORT: ["FRONT", "SELFIE"],
};
