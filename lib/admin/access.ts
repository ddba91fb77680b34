import { type ChangeRequest, changeUser } from "#lib/admin/staff-change";
import { ALL_PERMISSIONS, effectivePermissions, isPermission, isStaffGroup, type Permission, STAFF_GROUPS } from "#lib/auth/permissions";
import { userLevelIndex } from "#lib/data/user";
import { badRequest } from "#lib/errors";
import { mirrorGroups } from "#lib/identity/group-mirror";

// Staff changes to what a user may do: single permissions granted or revoked, staff groups.

/** Never revocable: a user must always be able to sign out and change their password. */
const NON_REVOCABLE: readonly Permission[] = ["account:security"];

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

function checkNames(kind: "permission" | "group", names: string[], known: readonly string[], isKnown: (n: string) => boolean) {
  const unknown = names.filter((n) => !isKnown(n));
  if (unknown.length > 0) {
    throw badRequest(`UNKNOWN_${kind.toUpperCase()}`, `Unknown ${kind}(s): ${unknown.join(", ")}. Valid ${kind}s: ${known.join(", ")}.`, { valid: known });
  }
}

function checkLists(first: string[], second: string[], names: [string, string]) {
  if (first.length + second.length === 0) throw badRequest("NOTHING_TO_CHANGE", `Give ${names[0]} or ${names[1]}.`);
  const both = first.filter((n) => second.includes(n));
  if (both.length > 0) throw badRequest("CONTRADICTORY_CHANGE", `${both.join(", ")} cannot be in both ${names[0]} and ${names[1]}.`);
}

/** POST /admin/users/{userId}/permissions: a grant cancels an earlier revoke and the other way round. */
export async function changePermissions(request: ChangeRequest, grant: string[], revoke: string[]) {
  checkLists(grant, revoke, ["grant", "revoke"]);
  checkNames("permission", [...grant, ...revoke], ALL_PERMISSIONS, isPermission);
  const fixed = revoke.filter((p) => (NON_REVOCABLE as readonly string[]).includes(p));
  if (fixed.length > 0) throw badRequest("NOT_REVOCABLE", `${fixed.join(", ")} cannot be revoked: every user may sign out and change their password.`);

  const user = await changeUser(request, (user) => {
    const grants = sortedUnique([...(user.permissionGrants ?? []).filter((p) => !revoke.includes(p)), ...grant]);
    const revokes = sortedUnique([...(user.permissionRevokes ?? []).filter((p) => !grant.includes(p)), ...revoke]);
    if (grants.join() === sortedUnique(user.permissionGrants ?? []).join() && revokes.join() === sortedUnique(user.permissionRevokes ?? []).join()) return undefined;
    return {
      set: { permissionGrants: grants, permissionRevokes: revokes },
      action: "PERMISSIONS_CHANGED",
      details: { granted: grant.join(",") || "-", revoked: revoke.join(",") || "-" },
    };
  });
  const permissions = effectivePermissions({ level: user.level, groups: user.groups ?? [], grants: user.permissionGrants, revokes: user.permissionRevokes, creditTier: user.creditTier });
  return { userId: user.userId, permissions, grants: user.permissionGrants ?? [], revokes: user.permissionRevokes ?? [] };
}

/**
 * POST /admin/users/{userId}/groups. Effective on the target's next request (the auth layer reads
 * groups from the user item), then mirrored to Cognito for tokens issued later. Leaving `admin`
 * also ends an ADMIN level (it returns to ACTIVE; the nightly job takes it from there).
 */
export async function changeGroups(request: ChangeRequest, add: string[], remove: string[]) {
  checkLists(add, remove, ["add", "remove"]);
  checkNames("group", [...add, ...remove], STAFF_GROUPS, isStaffGroup);
  const user = await changeUser(request, (user) => {
    const before = sortedUnique(user.groups ?? []);
    const groups = sortedUnique([...before.filter((g) => !remove.includes(g)), ...add]);
    if (groups.join() === before.join()) return undefined;
    const leavesAdminLevel = user.level === "ADMIN" && !groups.includes("admin");
    return {
      set: { groups, ...(leavesAdminLevel ? { level: "ACTIVE", GSI3PK: userLevelIndex(user.userId, "ACTIVE", user.createdAt).GSI3PK, levelChangedAt: new Date().toISOString() } : {}) },
      remove: leavesAdminLevel ? ["levelPin"] : [],
      action: "GROUPS_CHANGED",
      details: { from: before.join(",") || "-", to: groups.join(",") || "-", ...(leavesAdminLevel ? { level: "ADMIN->ACTIVE" } : {}) },
      ...(leavesAdminLevel ? { notice: { template: "LEVEL_CHANGED" as const, params: { from: "ADMIN", to: "ACTIVE", reason: request.reason } } } : {}),
    };
  });
  await mirrorGroups(user);
  return { userId: user.userId, groups: user.groups ?? [] };
}
