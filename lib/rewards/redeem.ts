import type { AuthContext } from "#lib/auth/authenticate";
import { entryIds, getEntry, type LedgerEntry } from "#lib/data/reward";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { getUser } from "#lib/data/user";
import { serviceUnavailable } from "#lib/errors";
import { isFrozen, rewardsFrozen } from "#lib/rewards/freeze";
import { fingerprint, keyDigest, keyReused, requireIdempotencyKey } from "#lib/rewards/idempotency";
import { balanceChange, balanceRefusal, entryPut, jitter, MAX_ATTEMPTS } from "#lib/rewards/ledger-writes";

// POST /me/rewards/redeem: the entry (keyed by the user's Idempotency-Key) and the debit in one
// transaction; the debit's condition `points >= :n` is what keeps the balance from going negative
// however many redemptions race (20 parallel redemptions of 10 on 50: exactly 5 succeed).

export interface Redemption {
  points: number;
  itemId?: string;
}

export interface RedeemResult {
  balance: number;
  /** True when this was a retry of a redemption made before: nothing new was debited. */
  replayed: boolean;
}

export async function redeem(auth: Pick<AuthContext, "user">, redemption: Redemption, idempotencyKey: string | undefined): Promise<RedeemResult> {
  const key = requireIdempotencyKey(idempotencyKey);
  const { userId } = auth.user;
  const entryId = entryIds.redemption(keyDigest(userId, key));
  const requestHash = fingerprint({ points: redemption.points, itemId: redemption.itemId });
  const replay = async (): Promise<RedeemResult> => {
    const earlier = await getEntry(userId, entryId);
    if (earlier?.requestHash !== requestHash) throw keyReused();
    return { balance: await balanceOf(userId), replayed: true };
  };
  if (isFrozen(auth.user)) {
    // A retry of a redemption made before the freeze still gets its answer.
    if (await getEntry(userId, entryId)) return replay();
    throw rewardsFrozen();
  }

  const entry: LedgerEntry = {
    entryId,
    userId,
    type: "REDEEM",
    points: -redemption.points,
    reason: redemption.itemId ? `REDEEMED ${redemption.itemId}` : "REDEEMED",
    at: new Date().toISOString(),
    ...(redemption.itemId ? { itemId: redemption.itemId } : {}),
    requestHash,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await transactWrite({ TransactItems: [entryPut(entry), balanceChange(userId, -redemption.points, { unfrozen: true })] });
      return { balance: await balanceOf(userId), replayed: false };
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      if (error.failedAt() === 0) return replay();
      if (error.failedAt() === 1) throw await balanceRefusal(error, 1, userId, redemption.points);
      // Only lost to concurrent redemptions of this balance: try again (the condition decides).
      if (attempt >= MAX_ATTEMPTS) throw serviceUnavailable("Too many changes to this balance at once; retry with the same Idempotency-Key.");
      await jitter(attempt);
    }
  }
}

/** The balance now (read after the write; concurrent changes may already be in it). */
async function balanceOf(userId: string): Promise<number> {
  return (await getUser(userId, true))?.points ?? 0;
}
