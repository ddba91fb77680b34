import { describe, expect, it } from "vitest";
import { decryptField, encryptField, lookupHash } from "#lib/crypto/fields";

describe("field encryption", () => {
  it("round-trips and never stores the plaintext", async () => {
    const sealed = await encryptField("alice@example.com", "u1:email");
    expect(sealed).not.toContain("alice");
    expect(await decryptField(sealed, "u1:email")).toBe("alice@example.com");
  });
  it("uses a fresh IV each time", async () => {
    expect(await encryptField("same", "c")).not.toBe(await encryptField("same", "c"));
  });
  it("refuses a ciphertext moved to another row or field", async () => {
    const sealed = await encryptField("+8613812341234", "u1:phone");
    await expect(decryptField(sealed, "u2:phone")).rejects.toThrow();
  });
  it("refuses a tampered ciphertext", async () => {
    const sealed = await encryptField("secret", "c");
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body as string, "base64url");
    flipped[0] = (flipped[0] as number) ^ 1;
    await expect(decryptField([v, iv, flipped.toString("base64url"), tag].join("."), "c")).rejects.toThrow();
  });
});

describe("lookup hashes", () => {
  it("are deterministic per kind and value, and differ across kinds", async () => {
    expect(await lookupHash("EMAIL", "a@b.c")).toBe(await lookupHash("EMAIL", "a@b.c"));
    expect(await lookupHash("EMAIL", "a@b.c")).not.toBe(await lookupHash("USERNAME", "a@b.c"));
    expect(await lookupHash("EMAIL", "a@b.c")).not.toContain("a@b.c");
  });
});
