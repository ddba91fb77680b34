import { expect } from "vitest";
import { residentIdCheckChar } from "#lib/documents/checks";
import type { HttpResponse } from "#test/steps/http";
import { call } from "#test/steps/when";

// Steps of the identity-document flows: valid numbers, declarations, real uploads to the
// presigned URLs (s3rver), submit and review calls.

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const randomInt = (below: number) => Math.floor(Math.random() * below);

/** A valid PRC resident ID number (random sequence, so every test gets its own), born on `birth` (YYYYMMDD). */
export function aResidentIdNumber(birth = "19900307"): string {
  const first17 = `110101${birth}${pad(randomInt(1000), 3)}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

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

/** PUTs bytes to a presigned URL as a client would (content-length comes from the body). */
export async function uploadTo(upload: Upload, options: { size?: number; contentType?: string } = {}) {
  const size = options.size ?? Number(upload.headers["content-length"]);
  const res = await fetch(upload.url, {
    method: upload.method,
    headers: { "content-type": options.contentType ?? upload.headers["content-type"] ?? "application/octet-stream" },
    body: new Uint8Array(size).fill(0xab),
  });
  return res;
}

export const documents = {
  create: (token: string, body: unknown) => call("POST", "/me/documents", { token, body }),
  submit: (token: string, submissionId: string) => call("POST", `/me/documents/${submissionId}/submit`, { token }),
  mine: (token: string) => call("GET", "/me/documents", { token }),
  queue: (token: string, query = "") => call("GET", `/admin/reviews${query}`, { token }),
  review: (token: string, submissionId: string) => call("GET", `/admin/reviews/${submissionId}`, { token }),
  decide: (token: string, submissionId: string, body: unknown) => call("POST", `/admin/reviews/${submissionId}/decision`, { token, body }),
  audit: (token: string, query: string) => call("GET", `/admin/audit${query}`, { token }),

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
