import { config } from "#lib/config";

export interface DataKeys {
  /** AES-256-GCM key for PII fields. */
  pii: Buffer;
  /** HMAC-SHA256 key for lookup hashes and one-time codes. */
  hmac: Buffer;
}

let loading: Promise<DataKeys> | undefined;
let externalLoader: (() => Promise<Record<string, string>>) | undefined;

/** Command-line scripts outside Lambda (no extension there) read the parameter with the SSM SDK themselves. */
export function useDataKeysLoader(loader: () => Promise<Record<string, string>>): void {
  externalLoader = loader;
  loading = undefined;
}

/**
 * The data keys of this process, loaded once per cold start. On AWS they live in an SSM
 * SecureString parameter encrypted with the stage's KMS key, read through the AWS Parameters and
 * Secrets Lambda Extension (a localhost call: no SSM/KMS SDK in the bundles, and the extension
 * caches). On the local stage they come from the local stack (LOCAL_KEYS), never from code.
 */
export function dataKeys(): Promise<DataKeys> {
  loading ??= load().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<DataKeys> {
  const c = config();
  if (c.localKeys) {
    if (!c.isLocal) throw new Error("LOCAL_KEYS is only allowed on the local stage");
    return decodeKeys(JSON.parse(c.localKeys) as Record<string, string>);
  }
  if (externalLoader) return decodeKeys(await externalLoader());
  if (!c.dataKeysParameter) throw new Error("DATA_KEYS_PARAMETER is not configured (see README: Deploying)");
  const url = `http://localhost:${c.secretsExtensionPort}/systemsmanager/parameters/get?name=${encodeURIComponent(c.dataKeysParameter)}&withDecryption=true`;
  const response = await fetch(url, { headers: { "X-Aws-Parameters-Secrets-Token": process.env.AWS_SESSION_TOKEN ?? "" } });
  if (!response.ok) throw new Error(`data keys unavailable from the secrets extension (HTTP ${response.status})`);
  const body = (await response.json()) as { Parameter?: { Value?: string } };
  return decodeKeys(JSON.parse(body.Parameter?.Value ?? "{}") as Record<string, string>);
}

export function decodeKeys(raw: Record<string, string>): DataKeys {
  const pii = Buffer.from(raw.pii ?? "", "base64");
  const hmac = Buffer.from(raw.hmac ?? "", "base64");
  if (pii.length !== 32 || hmac.length !== 32) throw new Error("data keys must be 32 bytes each");
  return { pii, hmac };
}
