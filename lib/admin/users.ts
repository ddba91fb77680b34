import { recordAudit } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { shardedPage } from "#lib/data/query";
import { fromUserItem, getUser, type UserRecord, type UserStatus, usersByStatusPrefix } from "#lib/data/user";
import { notFound } from "#lib/errors";
import { resolveLogin } from "#lib/identity/lookup";
import { contactOf } from "#lib/notify/channels";
import { maskEmail, maskPhone } from "#lib/privacy/masks";

// Staff user lookup. Contact details are masked unless the caller holds data:pii:read, and every
// unmasked view is written to the audit trail (one entry per user shown).

type Staff = Pick<AuthContext, "userId" | "permissions">;

async function staffView(user: UserRecord, unmasked: boolean) {
  const contact = await contactOf(user);
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
  };
}

async function viewsFor(staff: Staff, users: UserRecord[], requestId: string) {
  const unmasked = staff.permissions.includes("data:pii:read");
  if (unmasked && users.length > 0) {
    await recordAudit(users.map((u) => ({ actorId: staff.userId, action: "USER_PII_VIEWED", targetUserId: u.userId, requestId })));
  }
  return Promise.all(users.map((u) => staffView(u, unmasked)));
}

export type UserQuery = { login: string; status?: undefined } | { status: UserStatus; login?: undefined };

/** GET /admin/users: an exact login (username, e-mail or phone), or a status listing over its 16 shards. */
export async function findUsers(staff: Staff, query: UserQuery, limit: number, cursor: string | undefined, requestId: string) {
  if (query.login !== undefined) {
    const { userId } = await resolveLogin(query.login);
    const user = userId ? await getUser(userId) : undefined;
    return { items: await viewsFor(staff, user ? [user] : [], requestId), nextCursor: null };
  }
  const page = await shardedPage(usersByStatusPrefix(query.status), limit, cursor);
  const users = page.items.flatMap((item) => fromUserItem(item) ?? []);
  return { items: await viewsFor(staff, users, requestId), nextCursor: page.nextCursor };
}

/** GET /admin/users/{userId} */
export async function userForStaff(staff: Staff, userId: string, requestId: string) {
  const user = await getUser(userId);
  if (!user) throw notFound("No such user.");
  const [view] = await viewsFor(staff, [user], requestId);
  return view;
}
