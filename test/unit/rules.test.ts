import { describe, expect, it } from "vitest";
import { classifyLogin, passwordProblems } from "#lib/identity/rules";
import { maskDocumentNumber, maskEmail, maskPhone } from "#lib/privacy/masks";

describe("password policy", () => {
  it("accepts a long uncommon password", () => {
    expect(passwordProblems("Tr4il-9f8e7d-Kite", "alice")).toEqual([]);
  });
  it.each([
    ["short", "Ab1!xyz", /at least 8/],
    ["too long", "x".repeat(129), /at most 128/],
    ["common", "password1", /too common/],
    ["common regardless of case", "PassWord123", /too common/],
    ["containing the username", "my-Alice-2026-secret", /username/],
  ])("rejects a %s password", (_name, password, message) => {
    const problems = passwordProblems(password, "alice");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(message);
  });
  it("counts characters, not bytes", () => {
    expect(passwordProblems("密码密码密码密码", "bob")).toEqual([]);
  });
});

describe("login classification", () => {
  it("treats e-mails case-insensitively", () => {
    expect(classifyLogin("  Alice@Example.COM ")).toEqual({ kind: "email", value: "alice@example.com" });
  });
  it("recognises phones and usernames", () => {
    expect(classifyLogin("+8613812341234")).toEqual({ kind: "phone", value: "+8613812341234" });
    expect(classifyLogin("Alice_1")).toEqual({ kind: "username", value: "alice_1" });
  });
});

describe("masks", () => {
  it("masks as the product specifies", () => {
    expect(maskEmail("alice@example.com")).toBe("a***@example.com");
    expect(maskPhone("+8613812341234")).toBe("138****1234");
    expect(maskPhone("+447911123456")).toBe("+44******3456");
    expect(maskDocumentNumber("110101199003071234")).toBe("1101**********1234");
  });
});
