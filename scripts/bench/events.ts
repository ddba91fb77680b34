import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";

// What API Gateway (HTTP API, payload 2.0) and the Lambda runtime hand a handler, built by hand so
// the handlers run in-process without serverless-offline in between.

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface CallOptions {
  body?: unknown;
  token?: string;
  sourceIp?: string;
  userAgent?: string;
}

export function httpEvent(method: string, path: string, options: CallOptions = {}): APIGatewayProxyEventV2 {
  const requestId = randomUUID();
  const userAgent = options.userAgent ?? "bench/1.0";
  const headers: Record<string, string> = {
    host: "bench.local",
    "user-agent": userAgent,
    ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  };
  const sourceIp = options.sourceIp ?? "127.0.0.1";
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "bench",
      domainName: "bench.local",
      domainPrefix: "bench",
      requestId,
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      http: { method, path, protocol: "HTTP/1.1", sourceIp, userAgent },
    },
  };
}

export function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: "512",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "bench",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, 10_000 - (Date.now() - started)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
