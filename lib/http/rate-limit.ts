import { config } from "#lib/config";
import type { QuotaUsage } from "#lib/limits/usage";

// The IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers, structured-field lists) of
// every response: API Gateway's throttling of the route, then each of our own limits the request
// was counted against (lib/limits/usage.ts). The gateway's bucket is shared by all callers and its
// level is not known here, so its RateLimit item carries only the reset (`t`, the draft's "missing
// remaining information" form): tokens come back continuously, within a second.

export const GATEWAY_POLICY = "gateway";

export function rateLimitHeaders(usage: Iterable<QuotaUsage>): Record<string, string> {
  const { ratePerSecond, burst } = config().apiThrottle;
  const policies = [`"${GATEWAY_POLICY}";q=${ratePerSecond};w=1;apigw-burst=${burst}`];
  const limits = [`"${GATEWAY_POLICY}";t=1`];
  for (const u of usage) {
    policies.push(`"${u.policy}";q=${u.quota};w=${u.windowSeconds}`);
    limits.push(`"${u.policy}";r=${u.remaining};t=${u.resetSeconds}`);
  }
  return { "ratelimit-policy": policies.join(", "), ratelimit: limits.join(", ") };
}
