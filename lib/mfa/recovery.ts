import { randomBytes } from "node:crypto";
import { lookupHash } from "#lib/crypto/fields";

// Recovery codes: ten one-time codes shown once at enrolment, stored only as keyed hashes bound
// to the user (a table dump yields nothing usable, nor can one user's hash match another's).

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read aloud and typed by hand

/** Ten fresh codes like `k7m2q-x9rtp` (about 49 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Whether input looks like a recovery code (rather than a 6-digit TOTP code). */
export const isRecoveryCodeShape = (input: string) => /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(input.trim());

const normalise = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, "");

export const recoveryCodeHash = (userId: string, code: string) => lookupHash("RECOVERY", `${userId}:${normalise(code)}`);
