import path from "node:path";

/** The content type of a built file (as the local front door serves it and the deploy uploads it). */
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

export const contentTypeOf = (file: string) => TYPES[path.extname(file)] ?? "application/octet-stream";
