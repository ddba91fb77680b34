import { recordAudit } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { explainPermissions } from "#lib/auth/permissions";
import { shardedPage } from "#lib/data/query";
import { fromUserItem, getUser, type Level, type UserRecord, type UserStatus, usersByLevelPrefix, usersByStatusPrefix } from "#lib/data/user";
import { notFound } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { contactOf } from "#lib/notify/channels";
import { logger } from "#lib/logger";
import { maskEmail, maskPhone } from "#lib/privacy/masks";

// Staff user lookup. Contact details are masked unless the caller holds data:pii:read, and every
// unmasked view is written to the audit trail (one entry per user shown).

type Staff = Pick<AuthContext, "userId" | "permissions">;

/** What a user may do and why: each permission's sources (level, group, tier, grant) and what is withheld. */
const accessOf = (user: UserRecord) => {
  const { permissions, sources, withheld } = explainPermissions({
    level: user.level,
    groups: user.groups ?? [],
    grants: user.permissionGrants,
    revokes: user.permissionRevokes,
    creditTier: user.creditTier,
  });
  return { groups: user.groups ?? [], permissions, permissionSources: sources, withheld, grants: user.permissionGrants ?? [], revokes: user.permissionRevokes ?? [] };
};

/** The user's contact details; one that cannot be decrypted (a damaged item) shows as null rather than failing a whole listing. */
async function readableContact(user: UserRecord): Promise<{ email?: string; phone?: string }> {
  try {
    return await contactOf(user);
  } catch (error) {
    logger.warn("contact details not readable", { userId: user.userId, error: (error as Error).message });
    return {};
  }
}

async function staffView(user: UserRecord, unmasked: boolean, detailed = false) {
  const contact = await readableContact(user);
  const show = (value: string | undefined, mask: (v: string) => string) => (value === undefined ? null : unmasked ? value : mask(value));
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName ?? user.username,
    email: show(contact.email, maskEmail),
    phone: show(contact.phone, maskPhone),
    status: user.status,
    level: user.level,
    identityStatus: user.identityStatus,
    credit: { score: user.creditScore, tier: user.creditTier },
    points: user.points,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt ?? null,
    ...(detailed ? { levelPin: user.levelPin ?? null, lifecycle: user.lifecycle ?? null, ...accessOf(user) } : { groups: user.groups ?? [] }),
  };
}

async function viewsFor(staff: Staff, users: UserRecord[], requestId: string, detailed = false) {
  const unmasked = staff.permissions.includes("data:pii:read");
  if (unmasked && users.length > 0) {
    await recordAudit(users.map((u) => ({ actorId: staff.userId, action: "USER_PII_VIEWED", targetUserId: u.userId, requestId })));
  }
  return Promise.all(users.map((u) => staffView(u, unmasked, detailed)));
}

export type UserQuery = { login: string; status?: undefined; level?: undefined } | { status: UserStatus; login?: undefined; level?: undefined } | { level: Level; login?: undefined; status?: undefined };

/** GET /admin/users: an exact login (username, e-mail or phone), or a status or level listing over its 16 index shards. */
export async function findUsers(staff: Staff, query: UserQuery, limit: number, cursor: string | undefined, requestId: string) {
  if (query.login !== undefined) {
    const { userId } = await resolveLogin(query.login);
    const user = userId ? await getUser(userId) : undefined;
    return { items: await viewsFor(staff, user ? [user] : [], requestId), nextCursor: null };
  }
  const page = query.level !== undefined ? await shardedPage(usersByLevelPrefix(query.level), limit, cursor, "GSI3") : await shardedPage(usersByStatusPrefix(query.status), limit, cursor);
  const users = page.items.flatMap((item) => fromUserItem(item) ?? []);
  return { items: await viewsFor(staff, users, requestId), nextCursor: page.nextCursor };
}

/** GET /admin/users/{userId} */
export async function userForStaff(staff: Staff, userId: string, requestId: string) {
  const user = await getUser(userId);
  if (!user) throw notFound("No such user.");
  const [view] = await viewsFor(staff, [user], requestId, true);
  return view;
}
