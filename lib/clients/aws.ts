import { config } from "#lib/config";

/**
 * Options shared by every AWS SDK client: region, the emulator endpoint on the local stage, and
 * bounded waits. A hung dependency costs at most `awsMaxAttempts` × `awsTimeoutMs` (plus the SDK's
 * jittered backoff) before the caller gets an error it turns into a 503, well inside the
 * function's timeout; without them a request would hang until the Lambda itself times out.
 */
export function clientOptions(endpoint: string | undefined) {
  const c = config();
  return {
    region: c.region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    maxAttempts: c.awsMaxAttempts,
    retryMode: "standard",
    requestHandler: { connectionTimeout: c.awsConnectTimeoutMs, requestTimeout: c.awsTimeoutMs, throwOnRequestTimeout: true },
  };
}
