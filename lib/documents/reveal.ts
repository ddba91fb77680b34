import { decryptField } from "#lib/crypto/fields";
import { fieldContext, type Submission } from "#lib/data/submission";

/** The plain name and number of a submission, decrypted only for the moment they are needed. */
export async function revealFields(s: Pick<Submission, "userId" | "submissionId" | "fullNameEnc" | "documentNumberEnc">) {
  return {
    fullName: await decryptField(s.fullNameEnc, fieldContext(s.userId, s.submissionId, "fullName")),
    documentNumber: await decryptField(s.documentNumberEnc, fieldContext(s.userId, s.submissionId, "documentNumber")),
  };
}
