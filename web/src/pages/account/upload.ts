// Uploads go straight to S3 with the presigned URLs POST /me/documents hands out. S3 is not our
// API, so this is the one request outside the typed client; XMLHttpRequest because fetch reports
// no upload progress. The bucket's CORS rules (serverless.yml) allow the PUT from the app's origin.

export interface PresignedUpload {
  url: string;
  method: string;
  /** Signed into the URL: sent exactly (content-length is the browser's, from the file itself). */
  headers: Record<string, string>;
}

export class UploadFailed extends Error {
  constructor(readonly status: number) {
    super(`upload failed (HTTP ${status})`);
    this.name = "UploadFailed";
  }
}

/** PUTs the file, reporting progress (0–1); resolves when S3 has stored it. */
export function uploadFile(upload: PresignedUpload, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) {
      if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new UploadFailed(xhr.status));
    };
    xhr.onerror = () => reject(new UploadFailed(0));
    xhr.ontimeout = () => reject(new UploadFailed(0));
    xhr.send(file);
  });
}
