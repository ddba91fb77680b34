import { config } from "#lib/config";
import { lookupHash } from "#lib/crypto/fields";
import { routeLimitKey } from "#lib/data/throttle";
import { tooManyRequests } from "#lib/errors";
import { claim, LimitReached } from "#lib/limits/counter";

// Per-client-IP limits of the routes a stranger can call in bulk: registrations (each sends an SMS
// or a mail: SMS pumping), code requests (resend, forgot) and code checks (verify, reset). Every
// request counts, whatever its outcome; over the limit: 429 RATE_LIMITED with Retry-After.

export type LimitedRoute = "REGISTER" | "CODE_REQUEST" | "CODE_CHECK";

/** The rate-limit policy each family is reported as (RateLimit headers). */
const POLICY: Record<LimitedRoute, string> = { REGISTER: "register", CODE_REQUEST: "code-requests", CODE_CHECK: "code-checks" };

export async function limitPerIp(route: LimitedRoute, ip: string): Promise<void> {
  const { windowSeconds, perIp } = config().rateLimits;
  try {
    await claim(routeLimitKey(route, await lookupHash("IP", ip)), { max: perIp[route], windowSeconds, policy: POLICY[route] });
  } catch (error) {
    if (!(error instanceof LimitReached)) throw error;
    throw tooManyRequests("RATE_LIMITED", "Too many requests from this address; try again later.", error.retryAfterSeconds);
  }
}
