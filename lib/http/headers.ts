import { config } from "#lib/config";

// Headers for every response: an API that never renders HTML, never caches personal data.
export const SECURITY_HEADERS: Record<string, string> = {
  "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
};

/** CORS for allow-listed origins only; other origins get no CORS headers at all. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin || !config().corsOrigins.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "false",
    "access-control-expose-headers": "retry-after, ratelimit, ratelimit-policy, idempotent-replayed, x-request-id",
    vary: "Origin",
  };
}
