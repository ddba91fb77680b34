import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

/** An API Gateway HTTP API (v2) event, as API Gateway would send it. */
export function apiEvent(
  method: string,
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    params?: Record<string, string>;
    ip?: string;
  } = {},
): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "user-agent": "vitest", ...options.headers },
    queryStringParameters: options.query,
    pathParameters: options.params,
    body: options.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      requestId: "req-1",
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: { method, path, protocol: "HTTP/1.1", sourceIp: options.ip ?? "203.0.113.7", userAgent: "vitest" },
    },
  };
}

export const lambdaContext = {
  awsRequestId: "aws-req-1",
  functionName: "test",
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
