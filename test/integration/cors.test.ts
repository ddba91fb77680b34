import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { apiEvent, lambdaContext } from "#test/steps/api-gateway-events";
import { stack } from "#test/steps/stack";

// The CORS allow-list is decided by serverless.yml (params corsOrigins for the handlers' headers,
// corsOriginList for API Gateway's preflight) and applied by lib/http/headers.ts. serverless-offline
// echoes any Origin, so an HTTP test cannot see a refusal: here the real handler runs in-process
// with the environment Serverless resolves for the stage.
const run = promisify(execFile);
let environment: Record<string, string>;
let preflightOrigins: string[];

async function resolvedConfig(stage: string) {
  const { stdout } = await run("node", ["node_modules/serverless/bin/serverless.js", "print", "--stage", stage, "--format", "json"], {
    env: { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off" },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { provider: { environment: Record<string, string>; httpApi: { cors: { allowedOrigins: string[] } } } };
}

describe("CORS allow-list (local stage)", () => {
  beforeAll(async () => {
    const config = await resolvedConfig("local");
    environment = config.provider.environment;
    preflightOrigins = config.provider.httpApi.cors.allowedOrigins;
    Object.assign(process.env, stack().env, { CORS_ORIGINS: environment.CORS_ORIGINS, POWERTOOLS_LOG_LEVEL: "SILENT" });
  }, 60_000);

  it("lets API Gateway's preflight and the handlers allow the same origins", () => {
    expect(environment.CORS_ORIGINS?.split(",").sort()).toEqual([...preflightOrigins].sort());
    expect(preflightOrigins).toContain("http://127.0.0.1:3000");
  });

  it("answers an allowed origin with CORS headers and any other origin without", async () => {
    const { handler } = await import("../../functions/health/handler");
    const call = (origin: string) =>
      handler(apiEvent("GET", "/health", { headers: { origin } }), lambdaContext) as Promise<APIGatewayProxyStructuredResultV2>;
    const allowed = await call("http://127.0.0.1:3000");
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers?.["access-control-allow-origin"]).toBe("http://127.0.0.1:3000");
    const foreign = await call("https://evil.example");
    expect(foreign.statusCode).toBe(200);
    expect(foreign.headers?.["access-control-allow-origin"]).toBeUndefined();
  });

  it("allows no browser origin at all on a deployed stage unless configured", async () => {
    const prod = await resolvedConfig("prod");
    expect(prod.provider.environment.CORS_ORIGINS).toBe("");
    expect(prod.provider.httpApi.cors.allowedOrigins).toEqual([]);
  });
});
