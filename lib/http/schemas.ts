// zod/mini keeps every bundle small (~16 KB instead of ~90 KB). Import it as a namespace (never
// re-export it) so esbuild can drop what a function does not use.
import * as z from "zod/mini";
import { E164_PATTERN, USERNAME_PATTERN } from "#lib/identity/rules";

// Field schemas shared by several routes. A pattern that bounds the length is followed by the
// same bound as maxLength, for the OpenAPI document; the pattern aborts, so a bad value still gets
// one message.
export const username = z.string().check(z.regex(USERNAME_PATTERN, { error: "3–32 characters: letters, digits, _ . - ; starting with a letter.", abort: true }), z.maxLength(32));
export const email = z.email("Not a valid e-mail address.").check(z.maxLength(254));
export const phone = z.string().check(z.regex(E164_PATTERN, { error: "Use the international E.164 format, e.g. +8613812341234.", abort: true }), z.maxLength(16));
export const password = z.string().check(z.minLength(1, "Required."), z.maxLength(1024));
export const login = z.string().check(z.trim(), z.minLength(1, "Required."), z.maxLength(254));
export const code = z.string().check(z.regex(/^\d{6}$/, { error: "The code has 6 digits.", abort: true }), z.maxLength(6));
export const boundedText = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

// Text other people see (display name, bio): no control characters (other than a bio's line
// breaks), no bidirectional overrides or isolates (they make text read as something else), no
// zero-width or invisible formatting characters (they make two names look the same).
const INVISIBLE = /\p{Cf}|(?![\t\n\r])\p{Cc}/u; // format characters; controls other than tab and line breaks
const plainText = (allowNewlines: boolean) =>
  z.refine<string>((value) => !INVISIBLE.test(value) && (allowNewlines || !/[\n\r\t]/.test(value)), "Remove control, direction-override and invisible characters.");
/** A name shown to others: 1–64 visible characters on one line. */
export const displayName = boundedText(1, 64).check(plainText(false));
/** Free text shown to others, lines allowed. */
export const shownText = (max: number) => z.string().check(z.maxLength(max), plainText(true));
/** An https URL without user name or password in it (`https://user:pass@host` hides where it leads). */
export const publicHttpsUrl = z
  .url({ protocol: /^https$/, error: "Use an https URL." })
  .check(
    z.maxLength(2048),
    z.refine<string>((value) => URL.canParse(value) && !new URL(value).username && !new URL(value).password, "Remove the user name and password from the URL."),
  );
/** Why a staff member acts: required on every staff change, kept in the audit trail, shown to the user where they are told. */
export const staffReason = z.string().check(z.trim(), z.minLength(3, "Give a reason (3–500 characters)."), z.maxLength(500), plainText(true));
export const listQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
