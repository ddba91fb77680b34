import type { UserRecord } from "#lib/data/user";
import { logger } from "#lib/logger";
import { type Channel, contactOf } from "#lib/notify/channels";
import { sendMail } from "#lib/notify/mailer";
import type { Message } from "#lib/notify/messages";
import { sendSms } from "#lib/notify/sms";

/**
 * Sends a message over one channel. Returns false instead of throwing when the provider fails, so
 * that the state change that triggered it stands (the user can ask again).
 */
export async function deliver(user: UserRecord, channel: Channel, message: Message): Promise<boolean> {
  try {
    const contact = await contactOf(user);
    const to = channel === "EMAIL" ? contact.email : contact.phone;
    if (!to) return false;
    if (channel === "EMAIL") await sendMail(to, message);
    else await sendSms(to, message);
    return true;
  } catch (error) {
    logger.warn("message delivery failed", { userId: user.userId, channel, subject: message.subject, error: (error as Error).name });
    return false;
  }
}
