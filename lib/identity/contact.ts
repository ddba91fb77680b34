import { decryptField } from "#lib/crypto/fields";
import type { UserRecord } from "#lib/data/users";

/** Plain contact details of a user, decrypted only for the moment they are needed. */
export async function contactOf(user: UserRecord): Promise<{ email?: string; phone?: string }> {
  return {
    email: user.emailEnc ? await decryptField(user.emailEnc, `${user.userId}:email`) : undefined,
    phone: user.phoneEnc ? await decryptField(user.phoneEnc, `${user.userId}:phone`) : undefined,
  };
}
