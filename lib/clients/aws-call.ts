import { config } from "#lib/config";
import { signerFor } from "#lib/clients/sigv4";
import { isDependencyFailure } from "#lib/errors";

// One signed HTTPS call to an AWS API, for the lean adapters (SES, SNS): a timeout on every call,
// errors with the service's error name.

export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
  ) {
    super(`AWS answered ${name} (HTTP ${status})`);
  }
}

const signers = new Map<string, ReturnType<typeof signerFor>>();

export async function signedFetch(service: string, url: URL, init: { method: string; headers: Record<string, string>; body: string }): Promise<Response> {
  let signer = signers.get(service);
  if (!signer) signers.set(service, (signer = signerFor(service)));
  const request = {
    method: init.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...init.headers, host: url.host },
    body: init.body,
  };
  const { host: _host, ...headers } = (await signer.sign(request)).headers as Record<string, string>;
  return fetch(url, { method: init.method, headers, body: init.body, signal: AbortSignal.timeout(config().awsTimeoutMs) });
}

/**
 * Runs a call, retrying an idempotent one when the service was unavailable (up to awsMaxAttempts
 * tries, with a jittered pause), as the SDK's standard retry does for the SDK clients.
 */
export async function withRetries<T>(call: () => Promise<T>, idempotent: boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!idempotent || attempt >= config().awsMaxAttempts || !isDependencyFailure(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
    }
  }
}
