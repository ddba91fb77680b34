import { ACHIEVEMENT_IDS } from "#lib/rewards/rules";
import { bool, count, id, int, list, nullable, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";

export const points = int(-1_000_000_000, 1_000_000_000);
export const achievementId = oneOf(ACHIEVEMENT_IDS as [string, ...string[]]);

/** A staff grant (lib/rewards/grant.ts grantView). */
export const grant = object({
  grantId: uuid,
  userId: id,
  /** Signed: a negative grant takes points back. */
  points,
  achievementId: optional(achievementId),
  reason: text(500),
  status: oneOf(["PENDING_APPROVAL", "GRANTED"]),
  requestedBy: id,
  createdAt: timestamp,
  approvedBy: optional(id),
  approvedAt: optional(timestamp),
});

/** A user's rewards (lib/rewards/view.ts): GET /me/rewards, and staff's GET /admin/users/{userId}/rewards. */
export const rewardsOverview = object({
  balance: count,
  frozen: bool,
  ledger: list(
    object({
      entryId: text(200),
      at: timestamp,
      type: oneOf(["EARN", "REDEEM", "EXPIRE", "ADJUST", "REVERSAL"]),
      /** Signed: credits positive, debits negative, 0 for an attempt that paid nothing. */
      points,
      reason: text(500),
      /** What the rules would have paid before a cap cut it. */
      requested: optional(points),
    }),
    100,
  ),
  nextCursor: nullable(text(2048)),
  achievements: list(object({ id: achievementId, at: timestamp, points, title: text(100) }), 100),
  nextExpiry: nullable(object({ at: timestamp, points: count })),
});
