import { describe, expect, it } from "vitest";
import { redact } from "#lib/logger";

const scrub = (value: unknown) => JSON.stringify(value, redact);

describe("log redaction", () => {
  it("drops secret and PII fields by name", () => {
    const line = scrub({ password: "hunter22", code: "123456", email: "a@b.co", phone: "+8613812341234", refreshToken: "x", userId: "u1" });
    expect(line).not.toMatch(/hunter22|123456|a@b\.co|8613812341234/);
    expect(line).toContain("u1");
  });
  it("scrubs PII and tokens inside free text", () => {
    const line = scrub({ message: "mail to bob@example.com from +8613812341234 with eyJhbGciOi.eyJzdWIi.sig" });
    expect(line).not.toMatch(/bob@example\.com|8613812341234|eyJhbGciOi/);
  });
  it("leaves request ids alone", () => {
    expect(scrub({ requestId: "550e8400-e29b-41d4-a716-446655440000" })).toContain("446655440000");
  });
});
