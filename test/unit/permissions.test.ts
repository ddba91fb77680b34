import { describe, expect, it } from "vitest";
import { ALL_PERMISSIONS, effectivePermissions, isStaff } from "#lib/auth/permissions";

describe("effective permissions", () => {
  it("gives a new user only basic and a few functional permissions", () => {
    const held = effectivePermissions({ level: "NEWBIE", groups: [] });
    expect(held).toContain("profile:read");
    expect(held).not.toContain("users:read");
    expect(held).not.toContain("data:pii:read");
    expect(held).not.toContain("rewards:redeem");
  });
  it("adds the permissions of staff groups", () => {
    expect(effectivePermissions({ level: "NEWBIE", groups: ["reviewer"] })).toContain("reviews:decide");
    expect(effectivePermissions({ level: "NEWBIE", groups: ["admin"] })).toEqual([...ALL_PERMISSIONS].sort());
  });
  it("applies explicit grants and revocations, ignoring unknown names", () => {
    const held = effectivePermissions({ level: "ACTIVE", groups: [], grants: ["analytics:read", "root:all"], revokes: ["rewards:redeem"] });
    expect(held).toContain("analytics:read");
    expect(held).not.toContain("root:all");
    expect(held).not.toContain("rewards:redeem");
  });
  it("withholds redeeming and premium listings from users with POOR credit, even when granted", () => {
    const poor = effectivePermissions({ level: "ADVANCED", groups: [], grants: ["rewards:redeem"], creditTier: "POOR" });
    expect(poor).not.toContain("rewards:redeem");
    expect(poor).not.toContain("listings:premium");
    expect(poor).toContain("listings:create");
    expect(effectivePermissions({ level: "ADVANCED", groups: [], creditTier: "GOOD" })).toContain("rewards:redeem");
  });
  it("knows staff groups", () => {
    expect(isStaff(["ops"])).toBe(true);
    expect(isStaff(["customers"])).toBe(false);
  });
});
