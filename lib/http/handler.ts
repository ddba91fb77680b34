import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type * as z from "zod/mini";
import { config as configureZod } from "zod/mini";
import en from "zod/v4/locales/en.js";
import type { AuthContext } from "#lib/auth/authenticate";
import { forbiddenUnless } from "#lib/auth/gate";
import type { ClientInfo } from "#lib/caller";
import { config } from "#lib/config";
import { AppError, notFound, validationFailed } from "#lib/errors";
import { corsHeaders, SECURITY_HEADERS } from "#lib/http/headers";
import { toProblem } from "#lib/http/problem";
import { rateLimitHeaders } from "#lib/http/rate-limit";
import type { RouteSpec } from "#lib/http/route";
import { collectQuotaUsage, type QuotaUsage } from "#lib/limits/usage";
import { logger, withLogContext } from "#lib/logger";

const MAX_BODY_BYTES = 64 * 1024;

// zod/mini ships without messages; English ones, once per cold start.
configureZod(en());

type Infer<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;

export interface Request<S extends RouteSpec> {
  body: Infer<S["body"]>;
  query: Infer<S["query"]>;
  params: Infer<S["params"]>;
  auth: S["auth"] extends "public" ? undefined : AuthContext;
  /** `idempotencyKey`: the Idempotency-Key header, for routes whose writes a client may retry safely. */
  client: ClientInfo & { idempotencyKey?: string };
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return {};
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
    throw new AppError(413, "PAYLOAD_TOO_LARGE", "Payload too large", "The body is larger than 64 KB.");
  const type = (event.headers?.["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Send the body as application/json.");
  }
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(400, "MALFORMED_JSON", "Malformed JSON", "The body is not valid JSON.");
  }
}

function validate<T extends z.ZodMiniType>(schema: T | undefined, value: unknown, where: string): z.infer<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(
    result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join("."),
      message: issue.code === "unrecognized_keys" ? `Unknown field(s): ${issue.keys.join(", ")}` : issue.message,
    })),
  );
}

/** Establishes the caller from the Authorization header (lib/http/secured.ts passes the real one). */
export type Authenticator = (authorization: string | undefined) => Promise<AuthContext>;

/**
 * Wraps a domain call as an API Gateway HTTP API handler: parses and validates input, runs the one
 * auth/permission check, maps errors to problem+json and adds security/CORS headers. Handlers stay
 * one line of adaptation. Public routes use this directly (their bundles carry no JWT code); routes
 * that need a user use securedHandler, and a non-public route without an authenticator refuses to
 * load at all (deny by default).
 */
export function httpHandler<S extends RouteSpec>(spec: S, run: (request: Request<S>) => Promise<Reply>, authenticate?: Authenticator) {
  if (spec.auth !== "public" && !authenticate) throw new Error(`${spec.method} ${spec.path} needs an authenticator (use securedHandler)`);
  const base = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = performance.now();
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? "local";
    const origin = event.headers?.origin;
    let response: APIGatewayProxyStructuredResultV2;
    const quotas = new Map<string, QuotaUsage>();
    try {
      if (spec.localOnly && !config().isLocal) throw notFound();
      let auth: AuthContext | undefined;
      if (spec.auth !== "public" && authenticate) {
        auth = await authenticate(event.headers?.authorization);
        forbiddenUnless(auth, spec);
      }
      const hasBody = spec.method !== "GET" && spec.body !== undefined;
      const request = {
        body: hasBody ? validate(spec.body, parseBody(event), "body") : undefined,
        query: validate(spec.query, event.queryStringParameters ?? {}, "query"),
        params: validate(spec.params, event.pathParameters ?? {}, "path"),
        auth,
        client: {
          ip: event.requestContext?.http?.sourceIp ?? "0.0.0.0",
          userAgent: (event.requestContext?.http?.userAgent ?? event.headers?.["user-agent"] ?? "unknown").slice(0, 512),
          requestId,
          idempotencyKey: event.headers?.["idempotency-key"],
        },
      } as Request<S>;
      const reply = await collectQuotaUsage(quotas, () => run(request));
      response = {
        statusCode: reply.status,
        headers: { ...(reply.body === undefined ? {} : { "content-type": "application/json" }), ...reply.headers },
        body: reply.body === undefined ? "" : JSON.stringify(reply.body),
      };
    } catch (error) {
      response = toProblem(error, requestId);
    }
    response.headers = { ...response.headers, ...SECURITY_HEADERS, ...corsHeaders(origin), ...rateLimitHeaders(quotas.values()), "x-request-id": requestId };
    logger.info("request", {
      requestId,
      route: `${spec.method} ${spec.path}`,
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
    });
    return response;
  };
  return middy(base).use(withLogContext());
}
