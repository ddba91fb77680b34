import type { Level } from "#lib/data/user";

// Permission categories (PRODUCT.md §5): basic, functional, management, data. Least privilege:
// a permission is held only if a level, a staff group or an explicit grant gives it.
export const PERMISSIONS = {
  basic: ["profile:read", "profile:write", "activity:read", "credit:read", "rewards:read"],
  functional: ["documents:submit", "complaints:file", "feedback:give", "rewards:redeem", "listings:create", "listings:premium"],
  management: [
    "users:read",
    "users:manage",
    "levels:manage",
    "permissions:manage",
    "reviews:read",
    "reviews:decide",
    "complaints:manage",
    "rewards:grant",
    "incidents:manage",
  ],
  data: ["data:pii:read", "audit:read", "analytics:read"],
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS][number];
export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSIONS).flat();

export const STAFF_GROUPS = ["admin", "reviewer", "support", "ops"] as const;
export type StaffGroup = (typeof STAFF_GROUPS)[number];

const BASIC: Permission[] = [...PERMISSIONS.basic, "feedback:give", "complaints:file", "documents:submit"];

const BY_LEVEL: Record<Level, Permission[]> = {
  NEWBIE: BASIC,
  ACTIVE: [...BASIC, "rewards:redeem", "listings:create"],
  ADVANCED: [...BASIC, "rewards:redeem", "listings:create", "listings:premium"],
  ADMIN: [...BASIC, "rewards:redeem", "listings:create", "listings:premium"],
};

const BY_GROUP: Record<StaffGroup, Permission[]> = {
  admin: [...ALL_PERMISSIONS],
  reviewer: ["users:read", "reviews:read", "reviews:decide"],
  support: ["users:read", "complaints:manage", "rewards:grant"],
  ops: ["users:read", "incidents:manage", "analytics:read"],
};

export interface PermissionInputs {
  level: Level;
  groups: readonly string[];
  grants?: readonly string[];
  revokes?: readonly string[];
  /** Credit tier: POOR's restrictions (REWARDS_FROZEN, LIMITED_LISTINGS) take permissions away. */
  creditTier?: string;
}

/** What POOR credit withholds, whatever the level or grants say (staff groups are unaffected). */
const WITHHELD_BY_POOR_CREDIT: Permission[] = ["rewards:redeem", "listings:premium"];

/** Effective permissions, sorted: level + staff groups + explicit grants − explicit revocations − credit restrictions. */
export function effectivePermissions({ level, groups, grants = [], revokes = [], creditTier }: PermissionInputs): Permission[] {
  const held = new Set<Permission>(BY_LEVEL[level] ?? BY_LEVEL.NEWBIE);
  for (const p of grants) if ((ALL_PERMISSIONS as readonly string[]).includes(p)) held.add(p as Permission);
  if (creditTier === "POOR") for (const p of WITHHELD_BY_POOR_CREDIT) held.delete(p);
  for (const group of groups) for (const p of BY_GROUP[group as StaffGroup] ?? []) held.add(p);
  for (const p of revokes) held.delete(p as Permission);
  return [...held].sort();
}

export const isStaff = (groups: readonly string[]) => groups.some((g) => (STAFF_GROUPS as readonly string[]).includes(g));
