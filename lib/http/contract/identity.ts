import * as z from "zod/mini";
import { ALL_PERMISSIONS, STAFF_GROUPS } from "#lib/auth/permissions";
import { bool, count, date, int, list, nullable, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";

// Shapes several identity routes share: tokens, the user as its owner sees it.

export const LEVELS = ["NEWBIE", "ACTIVE", "ADVANCED", "ADMIN"] as const;
export const USER_STATUSES = ["PENDING_VERIFICATION", "ACTIVE", "SUSPENDED", "DELETING", "DELETED"] as const;
export const TIERS = ["EXCELLENT", "GOOD", "FAIR", "POOR"] as const;
export const IDENTITY_STATUSES = ["NONE", "PENDING_REVIEW", "APPROVED", "REJECTED"] as const;
export const CONSENT_CHANNELS = ["APP", "WEB", "API"] as const;
export const ENTITLEMENTS = ["DEPOSIT_FREE", "PRIORITY_SERVICE", "REWARD_MULTIPLIER_1_5", "DEPOSIT_REDUCED", "REWARD_MULTIPLIER_1_2"] as const;
export const RESTRICTIONS = ["DEPOSIT_REQUIRED", "LIMITED_LISTINGS", "REWARDS_FROZEN"] as const;

const jwt = z.string().check(z.regex(/^[\w-]+\.[\w-]+\.[\w-]*$/), z.maxLength(8192));

/** Tokens of a sign-in or a refresh (lib/identity/tokens.ts). */
export const tokens = object({
  accessToken: jwt,
  idToken: jwt,
  /** Ours, rotated on every refresh. */
  refreshToken: optional(text(512)),
  expiresIn: int(1, 86_400),
  tokenType: z.literal("Bearer"),
});

/** A sign-in that needs a second factor (lib/identity/mfa-challenge.ts). */
export const mfaChallenge = object({
  mfaRequired: z.literal(true),
  challengeId: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/), z.maxLength(43)),
  methods: list(oneOf(["TOTP", "RECOVERY_CODE"]), 2),
  expiresIn: int(1, 3600),
});

export const permission = oneOf(ALL_PERMISSIONS as [string, ...string[]]);
export const staffGroup = oneOf(STAFF_GROUPS);
export const consent = object({ privacyPolicyVersion: text(32), at: timestamp, channel: optional(oneOf(CONSENT_CHANNELS)) });
export const creditSummary = object({ score: int(0, 1000), tier: oneOf(TIERS) });

/** GET /me, PATCH /me (lib/identity/profile.ts): the owner sees their own contact details. */
export const me = object({
  userId: uuid,
  username: text(32),
  displayName: text(64),
  email: nullable(text(254)),
  emailVerified: bool,
  phone: nullable(text(16)),
  phoneVerified: bool,
  status: oneOf(USER_STATUSES),
  level: oneOf(LEVELS),
  groups: list(staffGroup, 4),
  permissions: list(permission, 64),
  mfa: object({ enabled: bool, methods: list(oneOf(["TOTP", "RECOVERY_CODE"]), 2), recoveryCodesLeft: int(0, 10) }),
  entitlements: list(oneOf(ENTITLEMENTS), 8),
  restrictions: list(oneOf(RESTRICTIONS), 8),
  credit: creditSummary,
  points: count,
  identityStatus: oneOf(IDENTITY_STATUSES),
  profile: object({
    gender: optional(oneOf(["FEMALE", "MALE", "OTHER", "UNDISCLOSED"])),
    birthDate: optional(date),
    bio: optional(text(500)),
    avatarUrl: optional(z.url().check(z.maxLength(2048))),
  }),
  consent,
  consentRequired: bool,
  createdAt: timestamp,
});
