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

export const serviceUnavailable = (detail = "A dependency is unavailable; try again shortly.") =>
  new AppError(503, "SERVICE_UNAVAILABLE", "Service unavailable", detail, {}, { "retry-after": "5" });
