import * as z from "zod/mini";
import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, text, timestamp } from "#lib/http/contract/fields";
import { CONSENT_CHANNELS } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, {
  200: object({ privacyPolicyVersion: text(32), at: timestamp, channel: oneOf(CONSENT_CHANNELS), consentRequired: z.literal(false) }),
});
