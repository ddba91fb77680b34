import type { UserRecord } from "#lib/data/user";
import { AppError } from "#lib/errors";

// REWARDS_FROZEN: POOR credit (lib/credit/entitlements.ts) or an incident's freeze (the user
// item's `rewardFreezes`, the incidents that froze them). A frozen user earns nothing and cannot
// redeem. Checked on the user as read, and again in the write's condition (a freeze may come in
// between): FROZEN_GUARD.

export const RESTRICTION = "REWARDS_FROZEN";

const sizeOf = (freezes: UserRecord["rewardFreezes"]) => (freezes instanceof Set ? freezes.size : (freezes?.length ?? 0));

export const isFrozen = (user: Pick<UserRecord, "creditTier" | "rewardFreezes">) => user.creditTier === "POOR" || sizeOf(user.rewardFreezes) > 0;

/** The condition on the user item that rewards are not frozen (a string set is never empty; a list may be). */
export const FROZEN_GUARD = {
  expression: "NOT (creditTier = :poorTier) AND (attribute_not_exists(rewardFreezes) OR size(rewardFreezes) = :noFreezes)",
  values: { ":poorTier": "POOR", ":noFreezes": 0 },
};

/** 403 to the user: the restriction is named, so apps can explain it. */
export const rewardsFrozen = () =>
  new AppError(403, RESTRICTION, "Forbidden", "Your rewards are frozen (REWARDS_FROZEN): points cannot be earned or redeemed for now.", { restriction: RESTRICTION });
