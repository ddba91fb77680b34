import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AppError } from "#lib/errors";
import { logger } from "#lib/logger";

const TYPE_BASE = "https://docs.sharing-users.dev/problems/";

/** The one mapping from any thrown error to an RFC 9457 problem response. */
export function toProblem(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const known = error instanceof AppError ? error : undefined;
  if (!known) {
    // The frames only: an error's message may quote input, and input may be PII.
    const frames = String((error as Error)?.stack ?? "")
      .split("\n")
      .slice(1, 12)
      .join("\n");
    logger.error("unhandled error", { requestId, errorName: (error as Error)?.name, frames });
  }
  const problem = known ?? new AppError(500, "INTERNAL_ERROR", "Internal error", "Something went wrong on our side.");
  const body = {
    type: `${TYPE_BASE}${problem.code.toLowerCase().replace(/_/g, "-")}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail ?? problem.title,
    code: problem.code,
    ...problem.extra,
    requestId,
  };
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
    body: JSON.stringify(body),
  };
}
