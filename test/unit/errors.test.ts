import { describe, expect, it } from "vitest";
import { isDependencyFailure } from "#lib/errors";

// What counts as "a dependency is unavailable" (→ 503 with Retry-After) rather than a bug (→ 500).
describe("isDependencyFailure", () => {
  const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

  it.each([
    ["an SDK request timeout", named("TimeoutError", { code: "ETIMEDOUT" })],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["fetch failing to connect (undici)", Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) })],
    ["an aborted fetch (our timeout)", named("TimeoutError")],
    ["DynamoDB throttling", named("ProvisionedThroughputExceededException", { $retryable: { throttling: true } })],
    ["a 5xx from an SDK client", named("InternalServerError", { $fault: "server" })],
    ["a 5xx from a lean adapter", named("CognitoError", { status: 500 })],
    ["a 429 from a lean adapter", named("AwsServiceError", { status: 429 })],
    ["a throttled batch", named("UnprocessedItemsError")],
  ])("is true for %s", (_what, error) => {
    expect(isDependencyFailure(error)).toBe(true);
  });

  it.each([
    ["a bug", new TypeError("x is not a function")],
    ["a condition that failed", named("ConditionalCheckFailedException", { $fault: "client" })],
    ["a 4xx from a lean adapter", named("CognitoError", { status: 400 })],
    ["nothing", undefined],
    ["a string", "boom"],
  ])("is false for %s", (_what, error) => {
    expect(isDependencyFailure(error)).toBe(false);
  });
});
