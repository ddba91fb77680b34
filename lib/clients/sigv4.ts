import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Checksum, SourceData } from "@smithy/types";
import { config } from "#lib/config";

// SigV4 signing for the lean adapters (Cognito, S3): @smithy/signature-v4 is already in every
// bundle through the DynamoDB client, so signing a plain fetch costs a few hundred bytes where a
// full service client costs 50–150 KB. Credentials come from the environment, where Lambda puts
// the function role's (and the local stack its emulators').

const bytes = (data: SourceData): Buffer =>
  typeof data === "string" ? Buffer.from(data, "utf8") : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** SHA-256 / HMAC-SHA256 with node:crypto, in the shape the signer expects. */
class NodeSha256 implements Checksum {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export function envCredentials(): AwsCredentialIdentity {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error("AWS credentials are not in the environment");
  return { accessKeyId, secretAccessKey, ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) };
}

/** A signer for one service; S3 paths are not escaped twice and S3 presigns carry an unsigned payload. */
export const signerFor = (service: string, credentials: () => Promise<AwsCredentialIdentity> = async () => envCredentials()) =>
  new SignatureV4({ service, region: config().region, credentials, sha256: NodeSha256, uriEscapePath: service !== "s3", applyChecksum: service === "s3" });
