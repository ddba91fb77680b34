import { createHash } from "node:crypto";
import { AppError, badRequest } from "#lib/errors";

// The Idempotency-Key header (IETF draft "The Idempotency-Key HTTP Header Field"): a client sends
// one key per logical request and the same key on every retry of it. We never store the key
// itself, only a digest, in the key of the item the request writes (so a retry meets that item),
// beside a fingerprint of the request body (so a key reused for another request is refused).

const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/; // visible ASCII; UUIDs and the like

export function requireIdempotencyKey(raw: string | undefined): string {
  if (raw === undefined || raw === "") throw badRequest("IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header (a new random value per request, the same on its retries).");
  if (!KEY_PATTERN.test(raw)) throw badRequest("INVALID_IDEMPOTENCY_KEY", "The Idempotency-Key must be 8–255 visible ASCII characters.");
  return raw;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** A digest of the key within its scope (a user, a staff member), for item keys. */
export const keyDigest = (scope: string, key: string) => sha256(`${scope}\u0000${key}`).toString("base64url").slice(0, 32);

/** A UUID (version 8: custom) derived from the scope and key: the same retry, the same id. */
export function uuidFrom(scope: string, key: string): string {
  const bytes = sha256(`${scope}\u0000${key}`).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fingerprint of a request body: the same fields and values in any order give the same one. */
export function fingerprint(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(body).sort().map((k) => [k, body[k] ?? null]));
  return sha256(canonical).toString("base64url");
}

export const keyReused = () =>
  new AppError(422, "IDEMPOTENCY_KEY_REUSED", "Unprocessable content", "This Idempotency-Key was used for a different request; send a new key for a new request.");
