import { randomUUID } from "node:crypto";
import { copyObject, deleteObject, headObject, type ObjectHead } from "#lib/clients/s3";
import { type StoredFile, type Submission, submittedObjectKey } from "#lib/data/submission";
import { conflict, type FieldError, validationFailed } from "#lib/errors";
import { logger } from "#lib/logger";

// Write-once images. An upload URL stays valid for minutes after submit, so at submit each upload
// is checked and copied to the submitted/ prefix (no upload URL can address it); the copy's ETag
// is recorded, and from then on only the copy counts: a later PUT to the upload URL changes
// nothing a reviewer sees or decides on.

export type SealedFile = StoredFile & { submittedKey: string; etag: string };

/** What S3 enforces on AWS (signed type and size), checked again: s3rver does not check signatures. */
function problemOf(file: StoredFile, head: ObjectHead | undefined): FieldError | undefined {
  const path = `files.${file.kind}`;
  if (!head) return { path, message: "Not uploaded yet." };
  if (head.contentType?.split(";")[0]?.trim().toLowerCase() !== file.contentType) {
    return { path, message: `Uploaded as ${head.contentType ?? "unknown type"}, declared ${file.contentType}.` };
  }
  if (head.size !== file.size) return { path, message: `Uploaded ${head.size ?? 0} bytes, declared ${file.size}.` };
  return undefined;
}

/** Checks every upload against the declaration and copies it under submitted/; the files with their copies. */
export async function sealUploads(submission: Submission): Promise<SealedFile[]> {
  const heads = await Promise.all(submission.files.map(async (file) => ({ file, head: await headObject(file.key) })));
  const problems = heads.flatMap(({ file, head }) => problemOf(file, head) ?? []);
  if (problems.length) throw validationFailed(problems, "Some files are missing or differ from what was declared; upload them again.");

  // A folder per attempt: two racing submits of one submission never overwrite each other's copies.
  const attemptId = randomUUID();
  const copies = await Promise.all(
    heads.map(async ({ file, head }) => {
      const submittedKey = submittedObjectKey(submission.userId, submission.submissionId, attemptId, file.kind);
      // If-Match: S3 copies only the object just checked, not one replaced since (s3rver ignores it).
      const etag = await copyObject(file.key, submittedKey, head?.etag);
      return { ...file, submittedKey, etag };
    }),
  );
  const sealed = copies.filter((f): f is SealedFile => f.etag !== undefined);
  if (sealed.length !== copies.length) throw conflict("UPLOAD_CHANGED", "An image changed while it was being submitted; submit again.");
  return sealed;
}

/** Once the copies are recorded the uploads are not needed; a failure here leaves only clutter. */
export async function discardUploads(files: StoredFile[]): Promise<void> {
  const results = await Promise.allSettled(files.map((f) => deleteObject(f.key)));
  const failed = results.filter((r) => r.status === "rejected").length;
  if (failed) logger.warn("upload objects not deleted after submit", { failed });
}
