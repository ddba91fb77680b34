import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { clientOptions } from "#lib/clients/aws";
import { config } from "#lib/config";

// The one S3 adapter (document images). Module scope: created once per cold start.
const endpoint = config().endpoints.s3;
export const s3 = new S3Client({
  ...clientOptions(endpoint),
  // s3rver accepts only its own access key and path-style URLs; without WHEN_REQUIRED the SDK adds
  // an empty-body checksum to presigned URLs and streamed uploads are stored corrupted.
  ...(endpoint ? { credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }, forcePathStyle: true } : {}),
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
});

const bucket = () => config().documentsBucket;

export interface PresignedRequest {
  url: string;
  method: "PUT" | "GET";
  /** Headers the client must send exactly as given (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * A PUT URL for one object whose content type and length are signed in: on AWS, S3 refuses an
 * upload with another type or size (s3rver does not check signatures, hence the HEAD at submit).
 */
export async function presignUpload(key: string, contentType: string, size: number, expiresInSeconds: number): Promise<PresignedRequest> {
  const command = new PutObjectCommand({ Bucket: bucket(), Key: key, ContentType: contentType, ContentLength: size });
  const url = await getSignedUrl(s3, command, {
    expiresIn: expiresInSeconds,
    signableHeaders: new Set(["content-type", "content-length"]),
  });
  return {
    url,
    method: "PUT",
    headers: { "content-type": contentType, "content-length": String(size) },
    expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
  };
}

export async function presignDownload(key: string, expiresInSeconds: number): Promise<PresignedRequest> {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key: key }), { expiresIn: expiresInSeconds });
  return { url, method: "GET", headers: {}, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
}

/** Type and size of a stored object, or undefined when there is none. */
export async function headObject(key: string): Promise<{ contentType?: string; size?: number } | undefined> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return { contentType: out.ContentType, size: out.ContentLength };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === "NotFound" || name === "NoSuchKey" || status === 404) return undefined;
    throw error;
  }
}

/** Deletes every object under a prefix (a user's documents when the user is deleted). Returns the count. */
export async function deleteObjectsUnder(prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, ContinuationToken: token }));
    const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (objects.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: objects, Quiet: true } }));
      deleted += objects.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}
