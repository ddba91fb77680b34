import type { AuthContext } from "#lib/auth/authenticate";
import { BY_TIER, type Permission } from "#lib/auth/permissions";
import { config } from "#lib/config";
import { AppError, forbidden } from "#lib/errors";

/** Credit restrictions that withhold a permission, named in the 403 so apps can explain it. */
const RESTRICTION_OF: Partial<Record<Permission, string>> = { "rewards:redeem": "REWARDS_FROZEN", "listings:premium": "LIMITED_LISTINGS" };

type Caller = Pick<AuthContext, "permissions"> & { user?: { creditTier?: string; mfa?: unknown } };

/** Deny by default: throws 403 unless the caller holds the permission (naming the credit restriction that withholds it, if one does). */
export function requirePermission(auth: Caller, permission: Permission): void {
  if (auth.permissions.includes(permission)) return;
  const tier = auth.user?.creditTier;
  const restriction = RESTRICTION_OF[permission];
  if (restriction && tier && BY_TIER[tier]?.removes.includes(permission)) {
    throw new AppError(403, restriction, "Forbidden", `This needs the ${permission} permission, withheld by ${restriction} (credit tier ${tier}).`, { restriction });
  }
  throw forbidden("FORBIDDEN", `This needs the ${permission} permission.`);
}

/**
 * The route's own requirements: staff-only routes need a staff group and (where enforced, as on
 * every deployed stage) active two-factor sign-in; every signed-in route needs its permission.
 */
export function forbiddenUnless(auth: Caller & Pick<AuthContext, "staff">, route: { auth: string; permission?: Permission }): void {
  if (route.auth === "staff" && !auth.staff) throw forbidden("STAFF_ONLY", "This needs a staff account.");
  if (route.auth === "staff" && config().mfaRequiredForStaff && !auth.user?.mfa) {
    throw forbidden("MFA_REQUIRED", "Staff routes need two-factor sign-in: enrol with POST /me/mfa/totp, add the secret to an authenticator app, then POST /me/mfa/totp/confirm with a code.");
  }
  if (!route.permission) throw forbidden("FORBIDDEN", "This route declares no permission, so nobody may call it.");
  requirePermission(auth, route.permission);
}
