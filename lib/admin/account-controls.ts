import { type ChangeRequest, changeUser } from "#lib/admin/staff-change";
import { signOutEverywhere } from "#lib/clients/cognito";
import { type Level, userLevelIndex, userStatusIndex } from "#lib/data/user";
import { badRequest, conflict } from "#lib/errors";
import { mirrorGroups } from "#lib/identity/group-mirror";

// Staff decisions about an account's standing: suspend or restore it, set its level by hand.

/**
 * POST /admin/users/{userId}/status. Suspending sets the revocation mark in the same transaction,
 * so every token and session of the user stops working on its next request (and stays dead after
 * a reactivation); login then answers 403 ACCOUNT_SUSPENDED. The user is mailed either way.
 */
export async function setAccountStatus(request: ChangeRequest, status: "ACTIVE" | "SUSPENDED") {
  const suspending = status === "SUSPENDED";
  const user = await changeUser(request, (user) => {
    if (user.status === status) return undefined;
    if (user.status !== "ACTIVE" && user.status !== "SUSPENDED") {
      throw conflict("ILLEGAL_STATUS_CHANGE", `An account that is ${user.status} cannot be ${suspending ? "suspended" : "reactivated"}.`);
    }
    return {
      set: { status, GSI1PK: userStatusIndex(user.userId, status, user.createdAt).GSI1PK, ...(suspending ? { tokensValidAfter: Date.now() + 1 } : {}) },
      remove: suspending ? ["keptSessionId"] : [],
      action: suspending ? "USER_SUSPENDED" : "USER_REACTIVATED",
      details: { from: user.status, to: status },
      notice: suspending ? { template: "ACCOUNT_SUSPENDED", params: { reason: request.reason } } : { template: "ACCOUNT_REACTIVATED", params: { reason: request.reason } },
    };
  });
  if (suspending) await signOutEverywhere(user.userId); // Cognito's own refresh tokens too (ours are already refused)
  return { userId: user.userId, status: user.status };
}

/**
 * POST /admin/users/{userId}/level: the level is set and pinned (the nightly job leaves it alone)
 * for good or until `pinnedUntil`. ADMIN is given only by an approved application; taking a user
 * out of ADMIN also takes them out of the admin group.
 */
export async function setLevelByHand(request: ChangeRequest, level: Level, pinnedUntil?: string) {
  if (level === "ADMIN") {
    throw badRequest("ADMIN_NEEDS_APPLICATION", "ADMIN is given only by approving an admin application (POST /admin/admin-applications/{id}/decision).");
  }
  if (pinnedUntil !== undefined && Date.parse(pinnedUntil) <= Date.now()) {
    throw badRequest("PIN_IN_THE_PAST", "pinnedUntil must be in the future (leave it out to pin for good).");
  }
  const at = new Date().toISOString();
  const user = await changeUser(request, (user) => {
    const leavingAdmin = user.level === "ADMIN";
    const groups = (user.groups ?? []).filter((g) => !leavingAdmin || g !== "admin");
    return {
      set: {
        level,
        levelPin: { by: request.staff.userId, at, ...(pinnedUntil ? { until: pinnedUntil } : {}) },
        GSI3PK: userLevelIndex(user.userId, level, user.createdAt).GSI3PK,
        ...(level !== user.level ? { levelChangedAt: at } : {}),
        ...(leavingAdmin ? { groups } : {}),
      },
      action: "LEVEL_SET",
      details: { from: user.level, to: level, pinnedUntil: pinnedUntil ?? "indefinitely", ...(leavingAdmin ? { groupsRemoved: "admin" } : {}) },
      ...(level !== user.level ? { notice: { template: "LEVEL_CHANGED" as const, params: { from: user.level, to: level, reason: request.reason } } } : {}),
    };
  });
  await mirrorGroups(user);
  return { userId: user.userId, level: user.level, pinnedUntil: user.levelPin?.until ?? null };
}
