import { brotliDecompressSync } from "node:zlib";
import type { FieldError } from "#lib/errors";
import { COMMON_PASSWORDS_FRONT_CODED } from "#lib/identity/common-passwords";
import { brokenPasswordRule, PASSWORD_RULE_MESSAGES, unpackFrontCoded } from "#lib/identity/password-policy";

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
const isCommon = (lowercased: string) => {
  common ??= unpackFrontCoded(brotliDecompressSync(Buffer.from(COMMON_PASSWORDS_FRONT_CODED, "base64")).toString("utf8"));
  return common.has(lowercased);
};

/** Our password policy (cognito-local does not enforce one, and we want the same rules everywhere). */
export function passwordProblems(password: string, username?: string, path = "password"): FieldError[] {
  const broken = brokenPasswordRule(password, username, isCommon);
  return broken ? [{ path, message: PASSWORD_RULE_MESSAGES[broken] }] : [];
}
