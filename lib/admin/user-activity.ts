import { recordAudit } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { listActivity } from "#lib/data/activity";
import { getUser } from "#lib/data/user";
import { notFound } from "#lib/errors";
import { describeUserAgent, maskIp } from "#lib/identity/user-agent";

// GET /admin/users/{userId}/activity: a user's sign-ins for staff, newest first. The network is
// masked (`203.0.113.x`) and the device shown as its browser and OS families, as the new-device
// mail shows them; the raw address and User-Agent only to holders of data:pii:read, and such a
// read is written to the audit trail (as GET /admin/users/{userId} audits unmasked contacts).

type Staff = Pick<AuthContext, "userId" | "permissions">;

export async function activityForStaff(staff: Staff, userId: string, limit: number, cursor: string | undefined, requestId: string) {
  const [user, page] = await Promise.all([getUser(userId), listActivity(userId, limit, cursor)]);
  if (!user) throw notFound("No such user.");
  const unmasked = staff.permissions.includes("data:pii:read");
  if (unmasked && page.items.length > 0) {
    await recordAudit([{ actorId: staff.userId, action: "USER_PII_VIEWED", targetUserId: userId, requestId, subject: "activity" }]);
  }
  return {
    items: page.items.map((a) => ({
      at: a.at,
      type: a.type,
      network: maskIp(a.ip),
      ...describeUserAgent(a.userAgent),
      newDevice: a.newDevice,
      ...(unmasked ? { ip: a.ip, userAgent: a.userAgent } : {}),
    })),
    nextCursor: page.nextCursor,
  };
}
