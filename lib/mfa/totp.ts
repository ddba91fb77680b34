import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";

// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) through the
// `otpauth` library, and the enrolment QR code through `uqr`. A code is accepted for its own time
// step and one step either side (clock drift); which step matched is returned so the caller can
// refuse a step that was used before (a code seen over a shoulder cannot be replayed).

export const PERIOD_SECONDS = 30;
const ISSUER = "Sharing Users";

const totpOf = (secretBase32: string, label = "account") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });

/** A new 160-bit secret, base32 (what authenticator apps take). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app reads (from the QR code or typed in). */
export const otpauthUri = (secretBase32: string, accountLabel: string): string => totpOf(secretBase32, accountLabel).toString();

/** An SVG data URL of the URI's QR code, for an <img>. */
export const qrCodeOf = (uri: string): string => `data:image/svg+xml;base64,${Buffer.from(renderSVG(uri, { border: 2 })).toString("base64")}`;

export const stepAt = (timestampMs: number): number => Math.floor(timestampMs / 1000 / PERIOD_SECONDS);

/** The time step `code` is valid for (its own ±1 around `now`), or undefined. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : stepAt(now) + delta;
}

/** The code of a step (for tests and `npm run create-staff -- --mfa` users). */
export const totpCode = (secretBase32: string, timestampMs = Date.now()): string => totpOf(secretBase32).generate({ timestamp: timestampMs });
