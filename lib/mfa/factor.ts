import { decryptField } from "#lib/crypto/fields";
import type { MfaState } from "#lib/data/user";
import { isRecoveryCodeShape, recoveryCodeHash } from "#lib/mfa/recovery";
import { matchingStep } from "#lib/mfa/totp";

// Checking a second factor against a user's MFA state, and the write that makes it single-use:
// a TOTP step is recorded as the last one used (a step at or before it is refused), a recovery
// code's hash is removed. The write carries the condition, so two parallel uses of one code
// cannot both succeed.

export type FactorUse = { method: "TOTP"; step: number } | { method: "RECOVERY_CODE"; hash: string };

export const secretContext = (userId: string) => `${userId}:mfa`;

/** Which factor `code` is and whether it holds now; undefined when it does not (wrong, reused, or spent). */
export async function checkFactor(userId: string, mfa: MfaState, code: string, now = Date.now()): Promise<FactorUse | undefined> {
  const input = code.trim();
  if (/^\d{6}$/.test(input)) {
    const step = matchingStep(await decryptField(mfa.secretEnc, secretContext(userId)), input, now);
    return step !== undefined && step > mfa.lastStep ? { method: "TOTP", step } : undefined;
  }
  if (!isRecoveryCodeShape(input)) return undefined;
  const hash = await recoveryCodeHash(userId, input);
  return mfa.recoveryHashes?.has(hash) ? { method: "RECOVERY_CODE", hash } : undefined;
}

/** The user-item update (for a transaction) that spends the factor, conditional on it being unspent. */
export function spendFactor(use: FactorUse) {
  return use.method === "TOTP"
    ? { set: ["mfa.lastStep = :step"], condition: "mfa.lastStep < :step", values: { ":step": use.step } as Record<string, unknown> }
    : { set: [], remove: [], delete: "mfa.recoveryHashes :spent", condition: "contains(mfa.recoveryHashes, :hash)", values: { ":spent": new Set([use.hash]), ":hash": use.hash } as Record<string, unknown> };
}
