import type { UserRecord } from "#lib/data/user";

/** What GET /me shows of two-factor sign-in (no import of the TOTP code: GET /me stays small). */
export const mfaView = (user: Pick<UserRecord, "mfa">) => ({
  enabled: user.mfa !== undefined,
  methods: user.mfa ? ["TOTP", "RECOVERY_CODE"] : [],
  recoveryCodesLeft: user.mfa?.recoveryHashes?.size ?? 0,
});
