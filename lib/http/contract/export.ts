import * as z from "zod/mini";
import { BEHAVIOR_EVENT_TYPES } from "#lib/events/schema";
import { complainantView, respondentView } from "#lib/http/contract/complaints";
import { CONTENT_TYPES, DOCUMENT_TYPES, FILE_KINDS, reason, reasonCode, SUBMISSION_STATUSES } from "#lib/http/contract/documents";
import { bool, count, date, int, list, object, oneOf, optional, text, timestamp, uuid } from "#lib/http/contract/fields";
import { CONSENT_CHANNELS, IDENTITY_STATUSES, LEVELS, staffGroup, TIERS, USER_STATUSES } from "#lib/http/contract/identity";
import { achievementId, points } from "#lib/http/contract/rewards";

// GET /me/data-export (lib/privacy/export.ts, export-views.ts): everything held about the user.
// Its lists are the user's whole history; a Lambda answers at most 6 MB, so none can exceed this.
const ALL = 100_000;

const name = z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/), z.maxLength(64));
const score = int(0, 1000);

const profile = object({
  userId: uuid,
  username: text(32),
  displayName: optional(text(64)),
  email: optional(text(254)),
  emailVerified: optional(bool),
  phone: optional(text(16)),
  phoneVerified: optional(bool),
  status: oneOf(USER_STATUSES),
  level: oneOf(LEVELS),
  identityStatus: oneOf(IDENTITY_STATUSES),
  creditScore: score,
  creditTier: oneOf(TIERS),
  creditComputedAt: optional(timestamp),
  points: count,
  groups: optional(list(staffGroup, 4)),
  permissionGrants: optional(list(text(64), 64)),
  permissionRevokes: optional(list(text(64), 64)),
  levelChangedAt: optional(timestamp),
  levelPinned: optional(object({ at: timestamp, until: optional(timestamp) })),
  profile: optional(object({ gender: optional(text(16)), birthDate: optional(date), bio: optional(text(500)), avatarUrl: optional(text(2048)) })),
  lastLoginAt: optional(timestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
  rewardsFrozen: bool,
  passwordResetRequiredSince: optional(timestamp),
  mfa: object({ enabled: bool, enabledAt: optional(timestamp), recoveryCodesLeft: optional(int(0, 10)) }),
});

const seen = { firstSeenAt: timestamp, lastSeenAt: timestamp };

export const dataExport = object({
  format: z.literal("sharing-users/data-export/v1"),
  exportedAt: timestamp,
  profile,
  consents: list(object({ privacyPolicyVersion: text(32), at: timestamp, channel: optional(oneOf(CONSENT_CHANNELS)) }), ALL),
  loginActivity: list(object({ at: timestamp, type: oneOf(["LOGIN"]), ip: text(45), userAgent: text(512), newDevice: bool }), ALL),
  devices: list(object({ userAgent: text(512), ...seen }), ALL),
  networks: list(object(seen), ALL),
  sessions: list(object({ sessionId: text(128), ip: text(45), userAgent: text(512), createdAt: timestamp, revokedAt: optional(timestamp) }), ALL),
  documents: list(
    object({
      submissionId: uuid,
      type: oneOf(DOCUMENT_TYPES),
      status: oneOf(SUBMISSION_STATUSES),
      createdAt: timestamp,
      submittedAt: optional(timestamp),
      decidedAt: optional(timestamp),
      reasonCode: optional(reasonCode),
      reason: optional(reason),
      fullName: optional(text(100)),
      /** Masked. */
      documentNumber: optional(text(40)),
      files: list(object({ kind: oneOf(FILE_KINDS), contentType: oneOf(CONTENT_TYPES), size: count }), 3),
    }),
    ALL,
  ),
  credit: object({
    score,
    tier: oneOf(TIERS),
    computedAt: optional(timestamp),
    history: list(
      object({
        at: timestamp,
        score,
        tier: oneOf(TIERS),
        factors: optional(list(object({ name: text(32), score: int(0, 100), weight: z.number().check(z.gte(0), z.lte(1)) }), 10)),
        reasonCodes: optional(list(object({ code: name, text: text(200) }), 10)),
      }),
      ALL,
    ),
    behaviourEvents: list(
      object({
        eventId: text(128),
        eventType: oneOf(BEHAVIOR_EVENT_TYPES as [string, ...string[]]),
        occurredAt: text(40),
        receivedAt: optional(timestamp),
        /** As the producing service sent them. */
        attributes: optional(z.record(text(64), z.unknown())),
      }),
      ALL,
    ),
  }),
  rewards: object({
    balance: count,
    ledger: list(
      object({
        entryId: text(200),
        type: oneOf(["EARN", "REDEEM", "EXPIRE", "ADJUST", "REVERSAL"]),
        points,
        reason: text(500),
        at: timestamp,
        requested: optional(points),
        achievementId: optional(achievementId),
        itemId: optional(text(64)),
      }),
      ALL,
    ),
    achievements: list(achievementId, 100),
  }),
  complaints: object({ filed: list(z.omit(complainantView, { againstUserId: true }), ALL), against: list(respondentView, ALL) }),
  feedback: list(object({ feedbackId: uuid, topic: text(100), body: text(5000), rating: optional(int(1, 5)), createdAt: timestamp }), ALL),
  adminApplications: list(
    object({ applicationId: uuid, reason: text(500), status: oneOf(["PENDING", "APPROVED", "REJECTED"]), createdAt: timestamp, decidedAt: optional(timestamp), decisionReason: optional(text(500)) }),
    ALL,
  ),
  messages: list(
    object({
      messageId: text(128),
      channel: oneOf(["EMAIL", "SMS"]),
      template: name,
      status: oneOf(["PENDING", "SENDING", "DELIVERED", "FAILED", "EXPIRED", "REDRIVEN"]),
      createdAt: timestamp,
      deliveredAt: optional(timestamp),
    }),
    ALL,
  ),
  mfa: object({ enabled: bool }),
});
