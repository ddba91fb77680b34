import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { TransactionCancelled } from "#lib/data/cancelled";
import { AppError, conflict, isDependencyFailure, serviceUnavailable } from "#lib/errors";
import { logger } from "#lib/logger";

const TYPE_BASE = "https://docs.sharing-users.dev/problems/";

const internal = () => new AppError(500, "INTERNAL_ERROR", "Internal error", "Something went wrong on our side.");

/** What a thrown value becomes: our own errors as they are, a dependency down or slow a 503, anything else a 500. */
function problemOf(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // A transaction refused by a condition a caller did not map: the state changed under the request.
  if (error instanceof TransactionCancelled && !error.reasons.every((r) => r === "None" || r === "TransactionConflict")) {
    return conflict("CONFLICT", "The resource changed while the request was processed; read it again and retry.");
  }
  if (error instanceof TransactionCancelled) return serviceUnavailable("The request collided with concurrent changes; try again.");
  if (isDependencyFailure(error)) {
    logger.warn("dependency unavailable", { errorName: String((error as Error).name), code: String((error as { code?: unknown }).code ?? "") });
    return serviceUnavailable();
  }
  // The frames only: an error's message may quote input, and input may be PII.
  const frames = String((error as Error)?.stack ?? "")
    .split("\n")
    .slice(1, 12)
    .join("\n");
  logger.error("unhandled error", { errorName: String((error as Error)?.name), frames });
  return internal();
}

/** The one mapping from any thrown error to an RFC 9457 problem response. */
export function toProblem(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  let problem: AppError;
  try {
    problem = problemOf(error);
  } catch {
    problem = internal(); // a thrown value too odd to inspect (a revoked proxy, a throwing getter)
  }
  const body = {
    // The fixed fields last: an error's extra fields can add to a problem, never contradict it.
    ...problem.extra,
    type: `${TYPE_BASE}${problem.code.toLowerCase().replace(/_/g, "-")}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail ?? problem.title,
    code: problem.code,
    requestId,
  };
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
    body: JSON.stringify(body),
  };
}
