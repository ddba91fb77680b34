// Domain errors: each carries the HTTP status and stable code of the problem it becomes.
// lib/http/problem.ts is the one place that turns them into responses.

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = "AppError";
  }
}

export const validationFailed = (errors: FieldError[], detail = "The request is not valid.") =>
  new AppError(400, "VALIDATION_FAILED", "Validation failed", detail, { errors });

export const badRequest = (code: string, detail: string, extra: Record<string, unknown> = {}) =>
  new AppError(400, code, "Bad request", detail, extra);

export const unauthorized = (detail = "A valid access token is required.", code = "UNAUTHORIZED") =>
  new AppError(401, code, "Unauthorized", detail, {}, { "www-authenticate": 'Bearer realm="api"' });

export const forbidden = (code = "FORBIDDEN", detail = "You are not allowed to do this.") => new AppError(403, code, "Forbidden", detail);

export const notFound = (detail = "Not found.") => new AppError(404, "NOT_FOUND", "Not found", detail);

export const conflict = (code: string, detail: string) => new AppError(409, code, "Conflict", detail);

export const tooManyRequests = (code: string, detail: string, retryAfterSeconds: number, extra = {}) =>
  new AppError(
    429,
    code,
    "Too many requests",
    detail,
    { retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)), ...extra },
    {
      "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );

/** 503: a dependency is down or slow; the client may retry after a few seconds (nothing was half-written). */
export const serviceUnavailable = (detail = "A service we depend on is unavailable; try again shortly.", retryAfterSeconds = 5) =>
  new AppError(503, "SERVICE_UNAVAILABLE", "Service unavailable", detail, { retryAfter: retryAfterSeconds }, { "retry-after": String(retryAfterSeconds) });

// Failures of a dependency (DynamoDB, Cognito, SES, the JWKS endpoint): it refused the connection,
// did not answer in time, or said it cannot serve now. These become 503 with Retry-After, never a
// 500 (nothing is wrong with the request) and never a 401 (nothing is wrong with the token).
const UNAVAILABLE_NAMES = new Set([
  "TimeoutError",
  "AbortError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TooManyRequestsException",
  "InternalErrorException",
  "UnprocessedItemsError",
  "JWKSTimeout",
]);
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/** True when the error (or one of its causes) says a dependency is down, slow or overloaded. */
export function isDependencyFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; $fault?: unknown; $retryable?: unknown; status?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.name === "string" && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.$fault === "server" || (e.$retryable !== undefined && e.$retryable !== false)) return true;
  if (typeof e.status === "number" && (e.status >= 500 || e.status === 429)) return true;
  // undici: "TypeError: fetch failed", the reason in its cause.
  if (e.name === "TypeError" && e.message === "fetch failed") return true;
  return isDependencyFailure(e.cause, depth + 1);
}
