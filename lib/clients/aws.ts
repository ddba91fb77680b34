import { config } from "#lib/config";

/** Options shared by every AWS client: region, and the emulator endpoint on the local stage. */
export function clientOptions(endpoint: string | undefined) {
  const c = config();
  return {
    region: c.region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    maxAttempts: 3,
  };
}
