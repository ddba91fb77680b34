import type { AuthContext } from "#lib/auth/authenticate";
import type { Permission } from "#lib/auth/permissions";
import { forbidden } from "#lib/errors";

/** Deny by default: throws 403 unless the caller holds the permission. */
export function requirePermission(auth: Pick<AuthContext, "permissions">, permission: Permission): void {
  if (!auth.permissions.includes(permission)) throw forbidden("FORBIDDEN", `This needs the ${permission} permission.`);
}

/** The route's own requirements: staff-only routes need a staff group; every signed-in route needs its permission. */
export function forbiddenUnless(auth: Pick<AuthContext, "permissions" | "staff">, route: { auth: string; permission?: Permission }): void {
  if (route.auth === "staff" && !auth.staff) throw forbidden("STAFF_ONLY", "This needs a staff account.");
  if (!route.permission) throw forbidden("FORBIDDEN", "This route declares no permission, so nobody may call it.");
  requirePermission(auth, route.permission);
}
