import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALL_PERMISSIONS,
  BY_GROUP,
  BY_LEVEL,
  BY_TIER,
  effectivePermissions,
  explainPermissions,
  isStaff,
  PERMISSIONS,
  type PermissionInputs,
  STAFF_GROUPS,
} from "#lib/auth/permissions";

// The one permission model: level + staff groups + credit entitlements − credit restrictions +
// grants − revokes (issue 11).

const LEVELS = ["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"] as const;
const TIERS = ["EXCELLENT", "GOOD", "FAIR", "POOR"] as const;
const inputs = fc.record({
  level: fc.constantFrom(...LEVELS),
  groups: fc.subarray([...STAFF_GROUPS, "customers"]),
  grants: fc.subarray([...ALL_PERMISSIONS, "root:all"]),
  revokes: fc.subarray([...ALL_PERMISSIONS]),
  creditTier: fc.constantFrom(...TIERS, undefined),
}) as fc.Arbitrary<PermissionInputs>;

describe("the permission catalogue", () => {
  it("keeps its four categories, with no name in two of them", () => {
    expect(Object.keys(PERMISSIONS)).toEqual(["basic", "functional", "management", "data"]);
    expect(new Set(ALL_PERMISSIONS).size).toBe(ALL_PERMISSIONS.length);
  });
  it("gives no level a management or data permission (those come from staff groups or grants)", () => {
    const staffOnly = new Set<string>([...PERMISSIONS.management, ...PERMISSIONS.data]);
    for (const level of LEVELS) expect(BY_LEVEL[level].filter((p) => staffOnly.has(p))).toEqual([]);
    for (const tier of TIERS) expect(BY_TIER[tier]?.adds.filter((p) => staffOnly.has(p))).toEqual([]);
  });
});

describe("effective permissions", () => {
  it("gives a new user only basic and a few functional permissions", () => {
    const held = effectivePermissions({ level: "NEWBIE", groups: [] });
    expect(held).toContain("profile:read");
    expect(held).toContain("account:security");
    expect(held).not.toContain("users:read");
    expect(held).not.toContain("data:pii:read");
    expect(held).not.toContain("rewards:redeem");
  });

  it("grows with the level", () => {
    expect(effectivePermissions({ level: "ACTIVE", groups: [] })).toEqual(expect.arrayContaining(["rewards:redeem", "listings:create"]));
    expect(effectivePermissions({ level: "ACTIVE", groups: [] })).not.toContain("listings:premium");
    expect(effectivePermissions({ level: "ADVANCED", groups: [] })).toContain("listings:premium");
  });

  it("adds the permissions of staff groups; admin has all", () => {
    expect(effectivePermissions({ level: "NEWBIE", groups: ["reviewer"] })).toContain("reviews:decide");
    expect(effectivePermissions({ level: "NEWBIE", groups: ["reviewer"] })).not.toContain("levels:manage");
    expect(effectivePermissions({ level: "NEWBIE", groups: ["admin"] })).toEqual([...ALL_PERMISSIONS].sort());
  });

  it("adds credit entitlements and takes credit restrictions away", () => {
    expect(effectivePermissions({ level: "NEWBIE", groups: [], creditTier: "EXCELLENT" })).toEqual(expect.arrayContaining(["deposit:waived", "service:priority"]));
    expect(effectivePermissions({ level: "NEWBIE", groups: [], creditTier: "GOOD" })).toContain("deposit:reduced");
    const poor = effectivePermissions({ level: "ADVANCED", groups: [], creditTier: "POOR" });
    expect(poor).not.toContain("rewards:redeem");
    expect(poor).not.toContain("listings:premium");
    expect(poor).toContain("listings:create");
  });

  it("lets a grant lift a credit restriction for one user, and a revoke win over everything", () => {
    expect(effectivePermissions({ level: "ADVANCED", groups: [], grants: ["rewards:redeem"], creditTier: "POOR" })).toContain("rewards:redeem");
    expect(effectivePermissions({ level: "NEWBIE", groups: ["admin"], grants: ["audit:read"], revokes: ["audit:read"] })).not.toContain("audit:read");
  });

  it("ignores unknown names in grants, revokes and groups", () => {
    const held = effectivePermissions({ level: "ACTIVE", groups: ["root"], grants: ["analytics:read", "root:all"], revokes: ["nothing"] });
    expect(held).toContain("analytics:read");
    expect(held).not.toContain("root:all");
    expect(held).toEqual(effectivePermissions({ level: "ACTIVE", groups: [], grants: ["analytics:read"] }));
  });

  it("explains where each permission comes from and what took one away", () => {
    const { sources, withheld } = explainPermissions({ level: "ADVANCED", groups: ["support"], grants: ["analytics:read"], revokes: ["profile:write"], creditTier: "POOR" });
    expect(sources["users:read"]).toEqual(["group:support"]);
    expect(sources["analytics:read"]).toEqual(["grant"]);
    expect(sources["profile:read"]).toEqual(["level:ADVANCED"]);
    expect(withheld).toEqual({ "rewards:redeem": ["tier:POOR"], "listings:premium": ["tier:POOR"], "profile:write": ["revoke"] });
  });
});

describe("properties", () => {
  it("holds exactly (level ∪ groups ∪ entitlements − restrictions ∪ grants) − revokes", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const expected = new Set<string>([...BY_LEVEL[i.level], ...i.groups.flatMap((g) => BY_GROUP[g as keyof typeof BY_GROUP] ?? []), ...(BY_TIER[i.creditTier ?? ""]?.adds ?? [])]);
        for (const p of BY_TIER[i.creditTier ?? ""]?.removes ?? []) expected.delete(p);
        for (const p of i.grants ?? []) if ((ALL_PERMISSIONS as readonly string[]).includes(p)) expected.add(p);
        for (const p of i.revokes ?? []) expected.delete(p);
        expect(effectivePermissions(i)).toEqual([...expected].sort());
      }),
    );
  });

  it("never holds a revoked permission, always holds a granted one that is not revoked, and never anything unknown", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const held = effectivePermissions(i);
        for (const p of i.revokes ?? []) expect(held).not.toContain(p);
        for (const p of (i.grants ?? []).filter((g) => (ALL_PERMISSIONS as readonly string[]).includes(g) && !(i.revokes ?? []).includes(g))) expect(held).toContain(p);
        for (const p of held) expect(ALL_PERMISSIONS).toContain(p);
      }),
    );
  });

  it("gives every held permission at least one source, and staff powers only through a group or a grant", () => {
    const staffOnly = new Set<string>([...PERMISSIONS.management, ...PERMISSIONS.data]);
    fc.assert(
      fc.property(inputs, (i) => {
        const { permissions, sources } = explainPermissions(i);
        for (const p of permissions) {
          expect(sources[p]?.length).toBeGreaterThan(0);
          if (staffOnly.has(p)) expect(sources[p]?.every((s) => s.startsWith("group:") || s === "grant")).toBe(true);
        }
      }),
    );
  });
});

it("knows staff groups", () => {
  expect(isStaff(["ops"])).toBe(true);
  expect(isStaff(["customers"])).toBe(false);
});
