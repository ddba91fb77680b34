import { decryptField } from "#lib/crypto/fields";
import type { UserRecord } from "#lib/data/user";

// How we reach a user: the channels, which one a message goes to, and the contact details behind
// them (stored encrypted, decrypted only for the moment they are needed).

export type Channel = "EMAIL" | "SMS";

/** The channel codes and notices go to: e-mail if the user has one, else SMS. */
export const preferredChannel = (user: Pick<UserRecord, "emailEnc">): Channel => (user.emailEnc ? "EMAIL" : "SMS");

/** Plain contact details of a user. */
export async function contactOf(user: Pick<UserRecord, "userId" | "emailEnc" | "phoneEnc">): Promise<{ email?: string; phone?: string }> {
  return {
    email: user.emailEnc ? await decryptField(user.emailEnc, `${user.userId}:email`) : undefined,
    phone: user.phoneEnc ? await decryptField(user.phoneEnc, `${user.userId}:phone`) : undefined,
  };
}
