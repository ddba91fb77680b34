import { DecryptCommand } from "@aws-sdk/client-kms";
import { config } from "#lib/config";

export interface DataKeys {
  /** AES-256-GCM key for PII fields. */
  pii: Buffer;
  /** HMAC-SHA256 key for lookup hashes and one-time codes. */
  hmac: Buffer;
}

let loading: Promise<DataKeys> | undefined;

/**
 * The data keys of this process. On AWS they are stored wrapped by the stage's KMS key
 * (ENCRYPTED_KEYS) and unwrapped once per cold start; on the local stage they come in plain
 * from the local stack (LOCAL_KEYS), never from a hard-coded value.
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
  if (!c.encryptedKeys) throw new Error("ENCRYPTED_KEYS is not configured (see README: Deploying)");
  const wrapped = JSON.parse(c.encryptedKeys) as Record<string, string>;
  const { kms } = await import("#lib/clients/kms");
  const unwrap = async (name: string) => {
    const value = wrapped[name];
    if (!value) throw new Error(`ENCRYPTED_KEYS has no ${name} key`);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(value, "base64"), EncryptionContext: { purpose: name } }));
    return Buffer.from(out.Plaintext as Uint8Array).toString("base64");
  };
  return decodeKeys({ pii: await unwrap("pii"), hmac: await unwrap("hmac") });
}

function decodeKeys(raw: Record<string, string>): DataKeys {
  const pii = Buffer.from(raw.pii ?? "", "base64");
  const hmac = Buffer.from(raw.hmac ?? "", "base64");
  if (pii.length !== 32 || hmac.length !== 32) throw new Error("data keys must be 32 bytes each");
  return { pii, hmac };
}
