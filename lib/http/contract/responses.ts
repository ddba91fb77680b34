import type * as z from "zod/mini";
import type { RouteContract } from "#lib/http/contract/define";
import { type HeaderName, type HeaderSpec, OTHER_HEADERS, rateLimitHeaderSpecs } from "#lib/http/contract/headers";
import { problemSchema } from "#lib/http/contract/problem";

// Every response a route can give: its successes (from its contract) and its problems, derived
// from what the route takes (a body: 400, 413, 415; a token: 401, 403; path parameters: 404...)
// plus those its spec names. The one derivation the OpenAPI document and the tests' checks share.

export interface ResponseSpec {
  description: string;
  /** The JSON body (null: none). */
  body: z.ZodMiniType | null;
  contentType: "application/json" | "application/problem+json";
  headers: Partial<Record<HeaderName, HeaderSpec>>;
}

const GENERIC: Record<number, string> = {
  401: "UNAUTHORIZED: the token is missing, invalid, expired or revoked",
  403: "FORBIDDEN: the caller lacks the permission (or a credit or incident restriction withholds it)",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE: the body is larger than 64 KB",
  415: "UNSUPPORTED_MEDIA_TYPE: the body is not JSON",
  500: "INTERNAL_ERROR: something went wrong on our side (no details are given)",
  503: "SERVICE_UNAVAILABLE: a service we depend on is down or slow; nothing was half-done, try again after Retry-After",
};

/** The problem statuses a route can answer, each with what it means there. */
function problemStatuses({ route, rateLimits = [] }: RouteContract): Record<number, string> {
  const own = route.responses;
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join("; ");
  const statuses: Record<number, string> = {};
  const input = route.body ?? route.query ?? route.params;
  if (input || own[400]) statuses[400] = join(input ? `VALIDATION_FAILED (one \`errors\` entry per bad field)${route.body ? ", MALFORMED_JSON" : ""}` : undefined, own[400]);
  if (route.auth !== "public" || own[401]) statuses[401] = join(route.auth !== "public" ? GENERIC[401] : undefined, own[401]);
  if (route.auth !== "public" || own[403]) {
    const mfa = route.auth === "staff" ? "MFA_REQUIRED: staff without active two-factor sign-in, where enforced" : undefined;
    statuses[403] = join(route.auth !== "public" ? GENERIC[403] : undefined, mfa, own[403]);
  }
  if (route.params || route.localOnly || own[404]) statuses[404] = own[404] ?? GENERIC[404] ?? "";
  for (const status of [409, 422]) if (own[status]) statuses[status] = own[status];
  if (route.body) Object.assign(statuses, { 413: GENERIC[413], 415: GENERIC[415] });
  if (own[429] || rateLimits.length > 0) statuses[429] = own[429] ?? "RATE_LIMITED: over one of the limits in RateLimit-Policy";
  statuses[500] = GENERIC[500] ?? "";
  // Routes that read or write anything (every one with a token or a body) can meet a dependency down.
  if (route.auth !== "public" || route.body) statuses[503] = GENERIC[503] ?? "";
  return statuses;
}

/** Every status a route can answer, with its body and headers. */
export function responsesOf(contract: RouteContract): Record<number, ResponseSpec> {
  const common = { ...rateLimitHeaderSpecs(contract.rateLimits ?? []), "Access-Control-Allow-Origin": OTHER_HEADERS["Access-Control-Allow-Origin"] };
  const responses: Record<number, ResponseSpec> = {};
  for (const [status, body] of Object.entries(contract.success)) {
    const extra = Object.fromEntries((contract.successHeaders ?? []).map((name) => [name, OTHER_HEADERS[name]]));
    responses[Number(status)] = { description: contract.route.responses[Number(status)] ?? "", body, contentType: "application/json", headers: { ...common, ...extra } };
  }
  for (const [status, description] of Object.entries(problemStatuses(contract))) {
    const code = Number(status);
    const headers: ResponseSpec["headers"] = { ...common };
    if (code === 429 || code === 503) headers["Retry-After"] = OTHER_HEADERS["Retry-After"];
    if (code === 401) headers["WWW-Authenticate"] = OTHER_HEADERS["WWW-Authenticate"];
    responses[code] = { description, body: problemSchema, contentType: "application/problem+json", headers };
  }
  return responses;
}
