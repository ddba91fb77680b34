import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { expect } from "vitest";
import { assertConforms } from "#test/steps/contract";
import { apiUrl } from "#test/steps/stack";

export interface HttpResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface HttpOptions {
  body?: unknown;
  /** Sent as-is instead of JSON (for malformed-body tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  /** Source address on the loopback range, so per-IP limits can be tested without touching other tests. */
  sourceIp?: string;
}

/**
 * The loopback address a test file calls from unless it picks one: one per file (all of 127/8 is
 * local), so per-IP limits count each file on its own and files running in parallel never share a
 * budget, as different clients would not.
 */
function fileAddress(): string {
  const file = expect.getState().testPath ?? "unknown";
  const [a = 1, b = 0, c = 1] = createHash("sha1").update(file).digest();
  return `127.${1 + (a % 254)}.${b}.${1 + (c % 254)}`;
}

/** Is `baseUrl` the API of the test stack (rather than its mail store or another emulator)? */
function isApi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).origin === new URL(apiUrl()).origin;
  } catch {
    return false; // no stack injected (not a stack test)
  }
}

/**
 * A real HTTP call over a real socket (node:http, so the source address can be chosen). An answer
 * of the API is checked against its contract: a mismatch rejects, saying what differs.
 */
export function http<T = any>(baseUrl: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpResponse<T>> {
  const url = new URL(path, baseUrl);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(payload !== undefined && options.rawBody === undefined ? { "content-type": "application/json" } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, localAddress: options.sourceIp ?? fileAddress() },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          const response = { status: res.statusCode ?? 0, headers: res.headers, body: body as T, text };
          try {
            if (isApi(baseUrl)) assertConforms(method, url.pathname, response);
            resolve(response);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
