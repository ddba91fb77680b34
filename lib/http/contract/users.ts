import * as z from "zod/mini";
import { STAGES } from "#lib/lifecycle/rules";
import { bool, count, id, list, mapOf, nullable, object, oneOf, optional, text, timestamp } from "#lib/http/contract/fields";
import { creditSummary, IDENTITY_STATUSES, LEVELS, permission, staffGroup, USER_STATUSES } from "#lib/http/contract/identity";

// A user as staff see it (lib/admin/users.ts): contact details masked unless the caller holds
// data:pii:read; the detailed view (one user) adds where each permission comes from.

const summaryFields = {
  userId: id,
  username: text(32),
  displayName: text(64),
  email: nullable(text(254)),
  phone: nullable(text(16)),
  status: oneOf(USER_STATUSES),
  level: oneOf(LEVELS),
  identityStatus: oneOf(IDENTITY_STATUSES),
  credit: creditSummary,
  points: count,
  createdAt: timestamp,
  lastLoginAt: nullable(timestamp),
};

export const staffUserSummary = object({ ...summaryFields, groups: list(staffGroup, 4) });

const names = list(text(64), 64);

export const staffUserDetail = object({
  ...summaryFields,
  levelPin: nullable(object({ by: id, at: timestamp, until: optional(timestamp) })),
  lifecycle: nullable(object({ stage: oneOf(STAGES), churnRisk: bool, reasons: list(text(64), 16), lastActiveAt: timestamp, evaluatedAt: timestamp })),
  groups: list(staffGroup, 4),
  permissions: list(permission, 64),
  /** What gives each permission: `level:<LEVEL>`, `group:<group>`, `tier:<TIER>` or `grant`. */
  permissionSources: mapOf(names),
  /** Permissions something gave but something else takes away (`tier:POOR`, `revoke`). */
  withheld: mapOf(names),
  grants: names,
  revokes: names,
});

/** An audit entry (lib/data/audit-entry.ts): never PII. */
export const auditEntry = object({
  entryId: id,
  at: timestamp,
  actorId: id,
  action: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/), z.maxLength(64)),
  targetUserId: id,
  requestId: text(128),
  reason: optional(text(2000)),
  subject: optional(text(256)),
  details: optional(mapOf(z.union([text(2000), z.number().check(z.gte(-1e12), z.lte(1e12)), bool]))),
});
