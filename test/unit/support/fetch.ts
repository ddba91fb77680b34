import { type MockInstance, vi } from "vitest";

// The lean AWS adapters (Cognito, S3, SES, SNS) speak HTTP through fetch: unit tests mock fetch
// the way aws-sdk-client-mock mocks an SDK client, by the action a request names.

export interface SeenRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  /** The X-Amz-Target action (Cognito), else the URL path. */
  action: string;
  body: string;
  json(): Record<string, unknown>;
}

export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = (request: SeenRequest) => Answer | Promise<Answer>;

/** Mocks fetch: `routes` maps an action (or path) to its answer; anything else answers 500. */
export function mockAwsFetch(routes: Record<string, Handler | Answer> = {}) {
  const seen: SeenRequest[] = [];
  const spy: MockInstance = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = typeof init?.body === "string" ? init.body : "";
    const action = headers["x-amz-target"]?.split(".").pop() ?? url.pathname;
    const request: SeenRequest = { url, method: init?.method ?? "GET", headers, action, body, json: () => JSON.parse(body) as Record<string, unknown> };
    seen.push(request);
    const route = routes[action];
    const answer = typeof route === "function" ? await route(request) : (route ?? { status: 500, body: { __type: "UnmockedRequest" } });
    const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const status = answer.status ?? 200;
    return new Response([204, 304].includes(status) ? null : text, { status, headers: answer.headers });
  });
  return {
    seen,
    calls: (action: string) => seen.filter((r) => r.action === action),
    restore: () => spy.mockRestore(),
  };
}

/** A Cognito error answer. */
export const cognitoError = (type: string, status = 400): Answer => ({ status, body: { __type: type, message: type } });
