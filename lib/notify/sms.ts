import { appendFile, readFile } from "node:fs/promises";
import { config } from "#lib/config";
import type { Message } from "#lib/notify/messages";

/** SMS through SNS on AWS; on the local stage a JSON-lines sink that GET /local/sms reads. */
export async function sendSms(to: string, message: Message): Promise<void> {
  const c = config();
  if (c.isLocal) {
    if (!c.localSmsFile) throw new Error("LOCAL_SMS_FILE is not configured");
    await appendFile(c.localSmsFile, `${JSON.stringify({ at: new Date().toISOString(), to, text: message.text })}\n`);
    return;
  }
  const [{ sns }, { PublishCommand }] = await Promise.all([import("#lib/clients/sns"), import("@aws-sdk/client-sns")]);
  await sns.send(
    new PublishCommand({
      PhoneNumber: to,
      Message: message.text,
      MessageAttributes: { "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" } },
    }),
  );
}

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
