import { config } from "#lib/config";
import { envCredentials, signerFor } from "#lib/clients/sigv4";

// The one S3 adapter (document images), lean: presigned PUT/GET URLs and the few object calls we
// make are SigV4-signed fetches (lib/clients/sigv4.ts) instead of @aws-sdk/client-s3 (≈ 100 KB per
// bundle). Path-style URLs against the emulator, virtual-hosted style on AWS.

const local = () => config().endpoints.s3 !== undefined;
// s3rver accepts only its own access key (and does not check signatures).
const signer = signerFor("s3", async () => (local() ? { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } : envCredentials()));
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

export interface PresignedRequest {
  url: string;
  method: "PUT" | "GET";
  /** Headers the client must send exactly as given (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/** The URL of an object (or of the bucket, for key ""), with its query. */
function objectUrl(key: string, query: Record<string, string> = {}): URL {
  const bucket = config().documentsBucket;
  const path = key.split("/").map(encodeURIComponent).join("/");
  const url = local()
    ? new URL(`${config().endpoints.s3?.replace(/\/$/, "")}/${bucket}/${path}`)
    : new URL(`https://${bucket}.s3.${config().region}.amazonaws.com/${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

const toRequest = (method: string, url: URL, headers: Record<string, string> = {}) => ({
  method,
  protocol: url.protocol,
  hostname: url.hostname,
  port: url.port ? Number(url.port) : undefined,
  path: url.pathname,
  query: Object.fromEntries(url.searchParams),
  headers: { host: url.host, ...headers },
});

const withQuery = (url: URL, query: Record<string, string | string[] | null>) => {
  const out = new URL(url.origin + url.pathname);
  for (const [name, value] of Object.entries(query)) if (typeof value === "string") out.searchParams.set(name, value);
  return out.toString();
};

async function presign(method: "PUT" | "GET", key: string, expiresIn: number, headers: Record<string, string> = {}): Promise<PresignedRequest> {
  const url = objectUrl(key);
  const signed = await signer.presign(toRequest(method, url, { ...headers, "x-amz-content-sha256": UNSIGNED_PAYLOAD }), {
    expiresIn,
    signableHeaders: new Set(Object.keys(headers)),
    unhoistableHeaders: new Set(Object.keys(headers)),
  });
  return { url: withQuery(url, signed.query ?? {}), method, headers, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}

/**
 * A PUT URL for one object whose content type and length are signed in: on AWS, S3 refuses an
 * upload with another type or size (s3rver does not check signatures, hence the HEAD at submit).
 */
export const presignUpload = (key: string, contentType: string, size: number, expiresInSeconds: number) =>
  presign("PUT", key, expiresInSeconds, { "content-type": contentType, "content-length": String(size) });

export const presignDownload = (key: string, expiresInSeconds: number) => presign("GET", key, expiresInSeconds);

/** A signed call to S3 (no body; a copy is a PUT whose source is a header). */
async function send(method: "HEAD" | "GET" | "DELETE" | "PUT", url: URL, extra: Record<string, string> = {}): Promise<Response> {
  const signed = await signer.sign(toRequest(method, url, extra));
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return fetch(url, { method, headers, signal: AbortSignal.timeout(config().awsTimeoutMs) });
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e] ?? "");

export class S3Error extends Error {
  constructor(readonly status: number) {
    super(`S3 answered HTTP ${status}`);
    this.name = "S3Error";
  }
}

export interface ObjectHead {
  contentType?: string;
  size?: number;
  etag?: string;
}

/** Type, size and ETag of a stored object, or undefined when there is none. */
export async function headObject(key: string): Promise<ObjectHead | undefined> {
  const response = await send("HEAD", objectUrl(key));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new S3Error(response.status);
  const length = response.headers.get("content-length");
  return {
    contentType: response.headers.get("content-type") ?? undefined,
    size: length === null ? undefined : Number(length),
    etag: response.headers.get("etag") ?? undefined,
  };
}

/**
 * CopyObject within the bucket; with `ifMatch`, S3 copies only if the source still has that ETag
 * (so the copy is the object that was checked). Returns the copy's ETag, or undefined when the
 * source is gone or changed (404/412).
 */
export async function copyObject(sourceKey: string, targetKey: string, ifMatch?: string): Promise<string | undefined> {
  const source = `/${config().documentsBucket}/${sourceKey.split("/").map(encodeURIComponent).join("/")}`;
  const response = await send("PUT", objectUrl(targetKey), { "x-amz-copy-source": source, ...(ifMatch ? { "x-amz-copy-source-if-match": ifMatch } : {}) });
  if (response.status === 404 || response.status === 412) return undefined;
  if (!response.ok) throw new S3Error(response.status);
  // S3 may answer 200 and put an error in the body of a copy: only an ETag means it worked.
  const etag = /<ETag>([^<]*)<\/ETag>/.exec(await response.text())?.[1];
  if (!etag) throw new S3Error(502);
  return unescapeXml(etag);
}

/** Deletes one object (absent counts as deleted). */
export async function deleteObject(key: string): Promise<void> {
  const gone = await send("DELETE", objectUrl(key));
  if (!gone.ok && gone.status !== 404) throw new S3Error(gone.status);
}

/** Deletes every object under a prefix (a user's documents when the user is deleted). Returns the count. */
export async function deleteObjectsUnder(prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const response = await send("GET", objectUrl("", { "list-type": "2", prefix, ...(token ? { "continuation-token": token } : {}) }));
    if (!response.ok) throw new S3Error(response.status);
    const xml = await response.text();
    const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1] ?? ""));
    await Promise.all(keys.map(deleteObject));
    deleted += keys.length;
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? "") || undefined : undefined;
  } while (token);
  return deleted;
}
