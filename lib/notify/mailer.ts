import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ses } from "#lib/clients/ses";
import { config } from "#lib/config";
import type { Message } from "#lib/notify/messages";

export async function sendMail(to: string, message: Message): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: config().mailFrom,
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: "UTF-8" },
          Body: { Text: { Data: message.text, Charset: "UTF-8" } },
        },
      },
    }),
  );
}
