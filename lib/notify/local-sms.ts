import { readFile } from "node:fs/promises";
import { config } from "#lib/config";

/** SMS the local stack's sink received (it answers SNS Publish and appends each to LOCAL_SMS_FILE). */
export async function readLocalSms(): Promise<{ at: string; to: string; text: string }[]> {
  const file = config().localSmsFile;
  if (!file) return [];
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { at: string; to: string; text: string });
}
