import { createHash } from "node:crypto";
import { expect } from "vitest";
import { residentIdCheckChar } from "#lib/documents/checks";
import type { HttpResponse } from "#test/steps/http";
import { stack } from "#test/steps/stack";
import { call } from "#test/steps/when";

// Steps of the identity-document flows: valid numbers, declarations, real uploads to the
// presigned URLs (s3rver), submit and review calls.

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const randomInt = (below: number) => Math.floor(Math.random() * below);

/** An adult's random birth date (YYYYMMDD), 1960–1999: with the sequence, 13 million numbers, so two tests never share one. */
const anAdultsBirthDate = () => `${1960 + randomInt(40)}${pad(1 + randomInt(12), 2)}${pad(1 + randomInt(28), 2)}`;

/** A valid PRC resident ID number (random birth date and sequence, so every test gets its own), born on `birth` (YYYYMMDD). */
export function aResidentIdNumber(birth = anAdultsBirthDate()): string {
  const first17 = `110101${birth}${pad(randomInt(1000), 3)}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** An 18-character number with a valid check digit around the given birth date. */
export const idWithBirth = (birth: string) => {
  const first17 = `110101${birth}123`;
  return `${first17}${residentIdCheckChar(first17)}`;
};
export const withWrongCheckDigit = (valid: string) => `${valid.slice(0, 17)}${valid[17] === "0" ? "1" : "0"}`;
export const yearsAgo = (years: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10).replace(/-/g, "");
};

/** A passport number in the Chinese format (E + 8 digits). */
export const aPassportNumber = () => `E${pad(randomInt(1e8), 8)}`;

export interface DeclaredFile {
  kind: "FRONT" | "BACK" | "SELFIE";
  contentType: string;
  size: number;
}

export const idCardFiles = (size = 2048): DeclaredFile[] => [
  { kind: "FRONT", contentType: "image/jpeg", size },
  { kind: "BACK", contentType: "image/jpeg", size },
  { kind: "SELFIE", contentType: "image/png", size },
];

export function aDeclaration(overrides: Record<string, unknown> = {}) {
  return { type: "ID_CARD", fullName: "王小明", documentNumber: aResidentIdNumber(), files: idCardFiles(), ...overrides };
}

export interface Upload {
  kind: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** The bytes the steps upload: `size` times `fill`. */
export const imageBytes = (size: number, fill = 0xab) => new Uint8Array(size).fill(fill);
/** The ETag S3 gives a single-part upload of those bytes: their quoted MD5. */
export const etagOf = (bytes: Uint8Array) => `"${createHash("md5").update(bytes).digest("hex")}"`;

/** PUTs bytes to a presigned URL as a client would (content-length comes from the body). */
export async function uploadTo(upload: Upload, options: { size?: number; contentType?: string; fill?: number } = {}) {
  const size = options.size ?? Number(upload.headers["content-length"]);
  const res = await fetch(upload.url, {
    method: upload.method,
    headers: { "content-type": options.contentType ?? upload.headers["content-type"] ?? "application/octet-stream" },
    body: imageBytes(size, options.fill),
  });
  return res;
}

/** The object under `key` as the emulator holds it, read directly (s3rver serves unsigned reads). */
export const storedObject = (key: string) => fetch(`${stack().urls.s3}/${stack().env.DOCUMENTS_BUCKET}/${key}`);

/** The object key a presigned URL addresses. */
export const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname).split("/").slice(2).join("/");

export const expiresParam = (url: string) => Number(new URL(url).searchParams.get("X-Amz-Expires"));

export const documents = {
  create: (token: string, body: unknown) => call("POST", "/me/documents", { token, body }),
  submit: (token: string, submissionId: string) => call("POST", `/me/documents/${submissionId}/submit`, { token }),
  mine: (token: string) => call("GET", "/me/documents", { token }),
  queue: (token: string, query = "") => call("GET", `/admin/reviews${query}`, { token }),
  review: (token: string, submissionId: string) => call("GET", `/admin/reviews/${submissionId}`, { token }),
  decide: (token: string, submissionId: string, body: unknown) => call("POST", `/admin/reviews/${submissionId}/decision`, { token, body }),
  audit: (token: string, query: string) => call("GET", `/admin/audit${query}`, { token }),

  /** Every image a staff member is shown: its URL's key, bytes and ETag, and the ETag recorded at submit. */
  async imagesShown(token: string, submissionId: string) {
    const review = await documents.review(token, submissionId);
    expect(review.status, review.text).toBe(200);
    return Promise.all(
      (review.body.files as { kind: string; url: string; etag: string }[]).map(async (f) => {
        const image = await fetch(f.url);
        expect(image.status).toBe(200);
        return { kind: f.kind, key: keyOf(f.url), bytes: new Uint8Array(await image.arrayBuffer()), etag: image.headers.get("etag"), recorded: f.etag };
      }),
    );
  },

  /** Declares a document and uploads every file exactly as declared. */
  async uploaded(token: string, overrides: Record<string, unknown> = {}) {
    const created = await documents.create(token, aDeclaration(overrides));
    expect(created.status, created.text).toBe(201);
    for (const upload of created.body.uploads as Upload[]) {
      const put = await uploadTo(upload);
      expect(put.status, await put.text()).toBe(200);
    }
    return created.body as { submissionId: string; uploads: Upload[] };
  },

  /** Declared, uploaded and submitted; returns the submit response. */
  async submitted(token: string, overrides: Record<string, unknown> = {}): Promise<HttpResponse & { submissionId: string }> {
    const { submissionId } = await documents.uploaded(token, overrides);
    const res = await documents.submit(token, submissionId);
    return Object.assign(res, { submissionId });
  },
};

/** Every queue entry, following nextCursor. */
export async function collectQueue(token: string, limit = 100) {
  const items: Record<string, string>[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const res = await documents.queue(token, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return items;
}
