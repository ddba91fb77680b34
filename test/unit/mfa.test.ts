import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encryptField } from "#lib/crypto/fields";
import { checkFactor, secretContext, spendFactor } from "#lib/mfa/factor";
import { isRecoveryCodeShape, newRecoveryCodes, recoveryCodeHash } from "#lib/mfa/recovery";
import { matchingStep, newTotpSecret, otpauthUri, PERIOD_SECONDS, qrCodeOf, stepAt, totpCode } from "#lib/mfa/totp";

// TOTP (RFC 6238) and recovery codes: the pure parts of two-factor sign-in.

// RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890"; our codes are the last 6 digits.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  it.each(RFC_VECTORS)("matches the RFC 6238 test vector at T=%i", (seconds, eightDigits) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(eightDigits.slice(-6));
    expect(matchingStep(RFC_SECRET, eightDigits.slice(-6), seconds * 1000)).toBe(Math.floor(seconds / PERIOD_SECONDS));
  });

  it("accepts one step of drift either way, and no more", () => {
    const now = 1_700_000_000_000;
    const step = stepAt(now);
    const codeAt = (offset: number) => totpCode(RFC_SECRET, now + offset * PERIOD_SECONDS * 1000);
    expect(matchingStep(RFC_SECRET, codeAt(-1), now)).toBe(step - 1);
    expect(matchingStep(RFC_SECRET, codeAt(0), now)).toBe(step);
    expect(matchingStep(RFC_SECRET, codeAt(1), now)).toBe(step + 1);
    for (const offset of [-3, -2, 2, 3]) {
      const code = codeAt(offset);
      if (![codeAt(-1), codeAt(0), codeAt(1)].includes(code)) expect(matchingStep(RFC_SECRET, code, now)).toBeUndefined();
    }
  });

  it("refuses anything that is not six digits", () => {
    for (const code of ["", "12345", "1234567", "abcdef", " 123456", "12 345"]) expect(matchingStep(RFC_SECRET, code)).toBeUndefined();
  });

  it("makes 160-bit base32 secrets, an otpauth URI apps read, and an SVG QR code", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = otpauthUri(secret, "alice");
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Sharing%20Users:alice\\?issuer=Sharing%20Users&secret=${secret}&algorithm=SHA1&digits=6&period=30$`));
    expect(Buffer.from(qrCodeOf(uri).split(",")[1] ?? "", "base64").toString()).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});

describe("a second factor against a user's state", () => {
  const userId = "u1";
  const stateWith = async (lastStep: number, codes: string[] = []) => ({
    secretEnc: await encryptField(RFC_SECRET, secretContext(userId)),
    enabledAt: "x",
    lastStep,
    recoveryHashes: new Set(await Promise.all(codes.map((c) => recoveryCodeHash(userId, c)))),
  });

  it("accepts a TOTP code of a later step than the last used, and refuses the same step again (replay)", async () => {
    const now = 1_700_000_000_000;
    const code = totpCode(RFC_SECRET, now);
    expect(await checkFactor(userId, await stateWith(stepAt(now) - 5), code, now)).toEqual({ method: "TOTP", step: stepAt(now) });
    expect(await checkFactor(userId, await stateWith(stepAt(now)), code, now)).toBeUndefined();
    expect(await checkFactor(userId, await stateWith(stepAt(now) + 1), code, now)).toBeUndefined();
  });

  it("accepts an unspent recovery code however it is typed, and nothing else", async () => {
    const codes = newRecoveryCodes();
    const state = await stateWith(0, codes);
    const [first = "", second = ""] = codes;
    expect(await checkFactor(userId, state, first)).toMatchObject({ method: "RECOVERY_CODE" });
    expect(await checkFactor(userId, state, ` ${second.toUpperCase().replace("-", "")} `)).toMatchObject({ method: "RECOVERY_CODE" });
    expect(await checkFactor(userId, state, "abcde-fghjk")).toBeUndefined();
    expect(await checkFactor("u2", state, first)).toBeUndefined(); // bound to the user
  });

  it("spends a factor with a write whose condition refuses a second use", () => {
    expect(spendFactor({ method: "TOTP", step: 42 })).toMatchObject({ set: ["mfa.lastStep = :step"], condition: "mfa.lastStep < :step", values: { ":step": 42 } });
    expect(spendFactor({ method: "RECOVERY_CODE", hash: "h" })).toMatchObject({ delete: "mfa.recoveryHashes :spent", condition: "contains(mfa.recoveryHashes, :hash)" });
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes of an unambiguous alphabet, recognisable as recovery codes", () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const codes = newRecoveryCodes();
        expect(new Set(codes).size).toBe(10);
        for (const code of codes) {
          expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
          expect(isRecoveryCodeShape(code)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
    expect(isRecoveryCodeShape("123456")).toBe(false);
  });
});
