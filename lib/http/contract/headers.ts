import * as z from "zod/mini";
import type { RateLimitPolicy } from "#lib/http/contract/define";
import { GATEWAY_POLICY } from "#lib/http/rate-limit";

// The response headers the contract declares, as the HTTP layer sends them (lib/http/handler.ts,
// rate-limit.ts, headers.ts, lib/errors.ts). Each with a schema, so the tests check the values too.

export type HeaderName = "RateLimit" | "RateLimit-Policy" | "Retry-After" | "Access-Control-Allow-Origin" | "WWW-Authenticate" | "Idempotent-Replayed";

export interface HeaderSpec {
  /** Its name among the document's reusable headers (one per name and set of policies). */
  key: string;
  description: string;
  required: boolean;
  schema: z.ZodMiniType<string>;
}

const POLICY_MEANING: Record<typeof GATEWAY_POLICY | RateLimitPolicy, string> = {
  [GATEWAY_POLICY]:
    "API Gateway's throttling of this route: a token bucket shared by all callers, `q` requests a second and bursts of `apigw-burst`; its RateLimit item carries only `t` (its level is not known to the API)",
  register: "registrations per client IP and window",
  "code-requests": "code requests (verification resend, password forgotten) per client IP and window",
  "code-checks": "code checks (verification, password reset) per client IP and window",
  "sign-in": "password attempts per client IP and window; a successful one is given back (the account's own limit is not reported)",
  complaints: "complaints per user and day (fewer under POOR credit)",
  feedback: "feedback messages per user and day",
  "mfa-confirm": "enrolment codes per user and window",
};

/** A structured-field list of policy items (`"name";key=int;...`) whose names are the route's. */
function policyList(policies: readonly string[]) {
  const item = `"(?:${policies.join("|")})"(?:;[a-z][a-z0-9-]*=\\d+)*`;
  return z.string().check(z.maxLength(512), z.regex(new RegExp(`^${item}(?:, ${item})*$`)));
}

const describePolicies = (policies: readonly string[]) =>
  policies.map((p) => `\`"${p}"\`: ${POLICY_MEANING[p as RateLimitPolicy]}`).join("; ");

/** The RateLimit headers of a route counted against `own` limits besides the gateway's. */
export function rateLimitHeaderSpecs(own: readonly RateLimitPolicy[]): Record<"RateLimit" | "RateLimit-Policy", HeaderSpec> {
  const policies = [GATEWAY_POLICY, ...own];
  const suffix = own.map((p) => `.${p}`).join("");
  const which = own.length ? ` Our own limits appear once the request was counted against them.` : "";
  return {
    RateLimit: {
      key: `RateLimit${suffix}`,
      description: `What is left of each limit (draft-ietf-httpapi-ratelimit-headers): \`r\` units remaining, \`t\` seconds until more. ${describePolicies(policies)}.${which}`,
      required: true,
      schema: policyList(policies),
    },
    "RateLimit-Policy": {
      key: `RateLimit-Policy${suffix}`,
      description: `The limits that apply (\`q\` units per \`w\` seconds). ${describePolicies(policies)}.${which}`,
      required: true,
      schema: policyList(policies),
    },
  };
}

const seconds = z.string().check(z.regex(/^[1-9]\d{0,5}$/), z.maxLength(6));

export const OTHER_HEADERS: Record<Exclude<HeaderName, "RateLimit" | "RateLimit-Policy">, HeaderSpec> = {
  "Retry-After": { key: "Retry-After", description: "Seconds to wait before trying again.", required: true, schema: seconds },
  "Access-Control-Allow-Origin": {
    key: "Access-Control-Allow-Origin",
    description: "The request's Origin, when it is one of the allowed browser origins (CORS); absent otherwise.",
    required: false,
    schema: z.url().check(z.maxLength(2048)),
  },
  "WWW-Authenticate": { key: "WWW-Authenticate", description: "Sent when the token is missing, invalid, expired or revoked.", required: false, schema: z.literal('Bearer realm="api"') },
  "Idempotent-Replayed": { key: "Idempotent-Replayed", description: "`true` when this answers a retry with the same Idempotency-Key (nothing was done again).", required: false, schema: z.literal("true") },
};
