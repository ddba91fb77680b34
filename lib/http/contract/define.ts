import type * as z from "zod/mini";
import type { RouteSpec } from "#lib/http/route";

/**
 * What a route answers, beside what its spec (route.ts) says it accepts: each success status with
 * its body, the rate limits of ours it is counted against, and the headers a success may add. The
 * OpenAPI document and the tests' response checks are built from it; handlers never import it
 * (functions/<name>/responses.ts), so it costs no bundle anything.
 */
export interface RouteContract {
  route: RouteSpec;
  /** Each success status and its JSON body (null: no body). */
  success: Record<number, z.ZodMiniType | null>;
  /** Our own limits (lib/limits/: the `policy` of their claims) a request may be counted against. */
  rateLimits?: readonly RateLimitPolicy[];
  /** Headers a success may carry besides the common ones. */
  successHeaders?: readonly ("Idempotent-Replayed")[];
}

/** The limits of ours that report themselves (lib/limits/per-ip.ts, sign-in.ts, complaints/limits.ts, mfa/enrolment.ts). */
export type RateLimitPolicy = "register" | "code-requests" | "code-checks" | "sign-in" | "complaints" | "feedback" | "mfa-confirm";

export const defineContract = (route: RouteSpec, success: RouteContract["success"], more: Omit<RouteContract, "route" | "success"> = {}): RouteContract => ({
  route,
  success,
  ...more,
});
