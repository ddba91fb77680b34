import type { DocumentType } from "#lib/data/submission";
import { CJK_NAME } from "#lib/privacy/masks";

// Automatic checks on a submitted identity document: pure functions, each failure with a stable
// code and a reason the user can act on.

export interface CheckFailure {
  code: string;
  reason: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";

/** Upper-case, no spaces: the form numbers are compared, hashed and stored in. */
export const normaliseDocumentNumber = (value: string) => value.replace(/[\s-]/g, "").toUpperCase();

/** ISO 7064 MOD 11-2 check character of the first 17 digits of a PRC resident ID number. */
export function residentIdCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (ID_WEIGHTS[i] ?? 0), 0);
  return ID_CHECK_CHARS[sum % 11] as string;
}

/** Whole years between a birth date and today (UTC). */
export function ageOn(birth: Date, today: Date): number {
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** PRC resident ID (18 characters): format, MOD 11-2 check digit, embedded birth date, age ≥ 18. */
export function checkResidentId(number: string, today = new Date()): CheckFailure | undefined {
  if (!/^\d{17}[\dX]$/.test(number)) {
    return { code: "INVALID_ID_NUMBER_FORMAT", reason: "A resident ID number has 18 characters: 17 digits and a final digit or X." };
  }
  if (residentIdCheckChar(number.slice(0, 17)) !== number[17]) {
    return { code: "INVALID_ID_CHECK_DIGIT", reason: "The check digit of the ID number does not match; check the number for typos." };
  }
  const [y, m, d] = [number.slice(6, 10), number.slice(10, 12), number.slice(12, 14)].map(Number) as [number, number, number];
  const birth = new Date(Date.UTC(y, m - 1, d));
  const real = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  if (!real || y < 1900 || birth.getTime() > today.getTime()) {
    return { code: "INVALID_BIRTH_DATE", reason: "The birth date inside the ID number is not a valid past date." };
  }
  if (ageOn(birth, today) < 18) return { code: "UNDERAGE", reason: "You must be at least 18 years old to verify your identity." };
  return undefined;
}

/** Passport numbers: 6–9 letters and digits with at least one digit (ICAO 9303 allows up to 9). */
export function checkPassportNumber(number: string): CheckFailure | undefined {
  if (/^(?=.*\d)[A-Z0-9]{6,9}$/.test(number)) return undefined;
  return { code: "INVALID_PASSPORT_NUMBER", reason: "A passport number has 6 to 9 letters and digits." };
}

const LATIN_NAME = /^\p{L}[\p{L}\p{M}'’.-]*(?: \p{L}[\p{L}\p{M}'’.-]*)+$/u;

/** A full name as printed on the document: Chinese characters, or at least two Latin-script words. */
export function checkFullName(fullName: string): CheckFailure | undefined {
  const name = fullName.trim().replace(/\s+/g, " ");
  const plausible =
    name.length >= 2 &&
    name.length <= 64 &&
    (CJK_NAME.test(name) || LATIN_NAME.test(name)) &&
    !/(.)\1{3,}/u.test(name.replace(/ /g, "")) &&
    !/\d/.test(name);
  if (plausible) return undefined;
  return { code: "IMPLAUSIBLE_NAME", reason: "The full name must be written exactly as on the document (Chinese characters, or first and last name)." };
}

/** Checks that need only the submission itself (the duplicate check needs the table). */
export function automaticChecks(input: { type: DocumentType; fullName: string; documentNumber: string }, today = new Date()): CheckFailure | undefined {
  const number = normaliseDocumentNumber(input.documentNumber);
  const numberFailure = input.type === "PASSPORT" ? checkPassportNumber(number) : checkResidentId(number, today); // PRC driver licence numbers are the holder's resident ID number
  return numberFailure ?? checkFullName(input.fullName);
}

export const duplicateDocument: CheckFailure = {
  code: "DUPLICATE_DOCUMENT",
  reason: "This document is already verified or under review for another account.",
};
