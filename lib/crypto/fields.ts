import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { dataKeys } from "#lib/crypto/keys";

// PII at field level: AES-256-GCM with a random IV, the field name and owner bound in as
// associated data so a ciphertext cannot be moved to another row or field unnoticed.
const VERSION = "v1";

export async function encryptField(plaintext: string, context: string): Promise<string> {
  const { pii } = await dataKeys();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", pii, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export async function decryptField(sealed: string, context: string): Promise<string> {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error("unknown field encryption format");
  const { pii } = await dataKeys();
  const decipher = createDecipheriv("aes-256-gcm", pii, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** Keyed hash of a normalised value: lets us find and de-duplicate without storing the value. */
export async function lookupHash(kind: string, normalised: string): Promise<string> {
  const { hmac } = await dataKeys();
  return createHmac("sha256", hmac).update(`${kind}\u0000${normalised}`).digest("base64url");
}

/** Bearer secrets with high entropy (refresh tokens) only need a plain digest. */
export const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
