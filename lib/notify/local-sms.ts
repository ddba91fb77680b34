import { readFile } from "node:fs/promises";
import { config } from "#lib/config";

/** How many of the latest SMS GET /local/sms shows (the sink's file only grows). */
export const LOCAL_SMS_SHOWN = 1000;

/** The latest SMS the local stack's sink received (it answers SNS Publish and appends each to LOCAL_SMS_FILE), oldest first. */
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
    .slice(-LOCAL_SMS_SHOWN)
    .map((line) => JSON.parse(line) as { at: string; to: string; text: string });
}
