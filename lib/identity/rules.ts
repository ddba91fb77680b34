import { brotliDecompressSync } from "node:zlib";
import type { FieldError } from "#lib/errors";
import { COMMON_PASSWORDS_FRONT_CODED } from "#lib/identity/common-passwords";

export type LoginKind = "username" | "email" | "phone";

export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/;
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const normaliseUsername = (username: string) => username.trim().toLowerCase();
export const normalisePhone = (phone: string) => phone.trim();

/** Which identifier a login string is, and its normalised form (emails are case-insensitive). */
export function classifyLogin(login: string): { kind: LoginKind; value: string } {
  const trimmed = login.trim();
  if (trimmed.includes("@")) return { kind: "email", value: normaliseEmail(trimmed) };
  if (trimmed.startsWith("+")) return { kind: "phone", value: normalisePhone(trimmed) };
  return { kind: "username", value: normaliseUsername(trimmed) };
}

let common: Set<string> | undefined;
/** The list is sorted and front-coded: each line is the count of leading characters shared with the word before, then the rest. */
function unpackCommon(): Set<string> {
  const words = new Set<string>();
  let previous = "";
  for (const line of brotliDecompressSync(Buffer.from(COMMON_PASSWORDS_FRONT_CODED, "base64")).toString("utf8").split("\n")) {
    previous = previous.slice(0, Number(line[0])) + line.slice(1);
    words.add(previous);
  }
  return words;
}
const isCommon = (password: string) => {
  common ??= unpackCommon();
  return common.has(password.toLowerCase());
};

/** Our password policy (cognito-local does not enforce one, and we want the same rules everywhere). */
export function passwordProblems(password: string, username?: string, path = "password"): FieldError[] {
  const length = [...password].length;
  if (length < 8) return [{ path, message: "Password must be at least 8 characters." }];
  if (length > 128) return [{ path, message: "Password must be at most 128 characters." }];
  if (isCommon(password)) return [{ path, message: "Password is too common; choose one that is not on breach lists." }];
  if (username && password.toLowerCase().includes(normaliseUsername(username))) {
    return [{ path, message: "Password must not contain the username." }];
  }
  return [];
}
