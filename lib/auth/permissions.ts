import type { Level } from "#lib/data/user";

// The one permission model (PRODUCT.md §5). Four categories: basic, functional, management, data.
// Least privilege: a permission is held only if the level, a staff group, the credit tier or an
// explicit grant gives it. One function computes the effective set and where each entry comes from.

export const PERMISSIONS = {
  basic: ["profile:read", "profile:write", "account:security", "activity:read", "credit:read", "rewards:read", "admin:apply"],
  functional: [
    "documents:submit",
    "complaints:file",
    "feedback:give",
    "rewards:redeem",
    "listings:create",
    "listings:premium",
    "deposit:reduced",
    "deposit:waived",
    "service:priority",
  ],
  management: [
    "users:read",
    "users:manage",
    "levels:manage",
    "permissions:manage",
    "groups:manage",
    "admin-applications:decide",
    "credit:recompute",
    "reviews:read",
    "reviews:decide",
    "complaints:manage",
    "complaints:approve",
    "feedback:read",
    "rewards:grant",
    "rewards:approve",
    "incidents:manage",
  ],
  data: ["data:pii:read", "audit:read", "analytics:read"],
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS][number];
export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSIONS).flat();
export const isPermission = (name: string): name is Permission => (ALL_PERMISSIONS as readonly string[]).includes(name);

export const STAFF_GROUPS = ["admin", "reviewer", "support", "ops"] as const;
export type StaffGroup = (typeof STAFF_GROUPS)[number];
export const isStaffGroup = (name: string): name is StaffGroup => (STAFF_GROUPS as readonly string[]).includes(name);
export const isStaff = (groups: readonly string[]) => groups.some(isStaffGroup);

const BASIC: Permission[] = [...PERMISSIONS.basic, "feedback:give", "complaints:file", "documents:submit"];

export const BY_LEVEL: Record<Level, readonly Permission[]> = {
  NEWBIE: BASIC,
  ACTIVE: [...BASIC, "rewards:redeem", "listings:create"],
  ADVANCED: [...BASIC, "rewards:redeem", "listings:create", "listings:premium"],
  ADMIN: [...BASIC, "rewards:redeem", "listings:create", "listings:premium"],
};

export const BY_GROUP: Record<StaffGroup, readonly Permission[]> = {
  admin: [...ALL_PERMISSIONS],
  reviewer: ["users:read", "reviews:read", "reviews:decide"],
  support: ["users:read", "complaints:manage", "complaints:approve", "feedback:read", "rewards:grant"],
  ops: ["users:read", "incidents:manage", "analytics:read"],
};

/** What a credit tier adds (its entitlements) and takes away (its restrictions: REWARDS_FROZEN, LIMITED_LISTINGS). */
export const BY_TIER: Record<string, { adds: readonly Permission[]; removes: readonly Permission[] }> = {
  EXCELLENT: { adds: ["deposit:waived", "service:priority"], removes: [] },
  GOOD: { adds: ["deposit:reduced"], removes: [] },
  FAIR: { adds: [], removes: [] },
  POOR: { adds: [], removes: ["rewards:redeem", "listings:premium"] },
};

export interface PermissionInputs {
  level: Level;
  groups: readonly string[];
  grants?: readonly string[];
  revokes?: readonly string[];
  creditTier?: string;
}

/** Where a permission comes from: `level:ACTIVE`, `group:admin`, `tier:EXCELLENT`, `grant`. */
export type PermissionSource = `level:${Level}` | `group:${StaffGroup}` | `tier:${string}` | "grant";

export interface PermissionExplanation {
  /** The effective permissions, sorted. */
  permissions: Permission[];
  /** For each effective permission, what gives it. */
  sources: Partial<Record<Permission, PermissionSource[]>>;
  /** Permissions something gave but that are not held, and what took them away (`tier:POOR`, `revoke`). */
  withheld: Partial<Record<Permission, string[]>>;
}

/**
 * Effective permissions = level + staff groups + credit entitlements − credit restrictions +
 * per-user grants − per-user revokes, in that order (a grant can lift a credit restriction for one
 * user; a revoke always wins). Unknown names in stored grants or groups are ignored.
 */
export function explainPermissions({ level, groups, grants = [], revokes = [], creditTier }: PermissionInputs): PermissionExplanation {
  const sources = new Map<Permission, PermissionSource[]>();
  const withheld = new Map<Permission, string[]>();
  const give = (permission: Permission, source: PermissionSource) => sources.set(permission, [...(sources.get(permission) ?? []), source]);
  const take = (permission: Permission, by: string) => {
    if (!sources.has(permission)) return;
    withheld.set(permission, [...(withheld.get(permission) ?? []), by]);
    sources.delete(permission);
  };

  const knownLevel: Level = level in BY_LEVEL ? level : "NEWBIE";
  for (const p of BY_LEVEL[knownLevel]) give(p, `level:${knownLevel}`);
  for (const group of groups.filter(isStaffGroup)) for (const p of BY_GROUP[group]) give(p, `group:${group}`);
  const tier = creditTier && BY_TIER[creditTier] ? creditTier : undefined;
  if (tier) {
    for (const p of BY_TIER[tier]?.adds ?? []) give(p, `tier:${tier}`);
    for (const p of BY_TIER[tier]?.removes ?? []) take(p, `tier:${tier}`);
  }
  for (const p of grants.filter(isPermission)) {
    withheld.delete(p);
    give(p, "grant");
  }
  for (const p of revokes.filter(isPermission)) take(p, "revoke");

  const permissions = [...sources.keys()].sort();
  return {
    permissions,
    sources: Object.fromEntries(permissions.map((p) => [p, sources.get(p)])),
    withheld: Object.fromEntries(withheld),
  };
}

/** The effective permissions alone, sorted. */
export const effectivePermissions = (inputs: PermissionInputs): Permission[] => explainPermissions(inputs).permissions;
