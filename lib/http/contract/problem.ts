import * as z from "zod/mini";
import { count, int, list, object, optional, text } from "#lib/http/contract/fields";

// RFC 9457 problem details as lib/http/problem.ts writes them: the fixed members, and the extra
// members some errors add (lib/errors.ts and the domains' AppErrors).

const name = z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/), z.maxLength(64));

export const problemSchema = object({
  type: z.url().check(z.maxLength(200)),
  title: text(100),
  status: int(400, 599),
  detail: text(2000),
  code: name,
  requestId: text(128),
  /** One entry per bad field (VALIDATION_FAILED, ACCOUNT_EXISTS). */
  errors: optional(list(object({ path: text(256), message: text(1000) }), 100)),
  /** 429 and 503: the same wait as the Retry-After header, in seconds. */
  retryAfter: optional(int(1, 86_400)),
  /** CODE_MISMATCH. */
  attemptsRemaining: optional(int(0, 100)),
  /** RATE_LIMITED: the day's allowance. */
  limit: optional(int(1, 10_000)),
  /** CONSENT_OUTDATED: the policy version to consent to. */
  currentVersion: optional(text(32)),
  /** ILLEGAL_TRANSITION. */
  currentStatus: optional(name),
  legalActions: optional(list(name, 20)),
  /** UNKNOWN_PERMISSION, UNKNOWN_GROUP: the names that exist. */
  valid: optional(list(text(64), 100)),
  /** A credit-tier or incident restriction that withholds a permission (e.g. REWARDS_FROZEN). */
  restriction: optional(name),
  /** INSUFFICIENT_POINTS. */
  balance: optional(count),
  requested: optional(count),
});
