import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, text, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(
  route,
  {
    201: object({
      userId: uuid,
      status: oneOf(["PENDING_VERIFICATION"]),
      /** Where the code went, masked. */
      verification: object({ channel: oneOf(["EMAIL", "SMS"]), destination: text(254) }),
    }),
  },
  { rateLimits: ["register"] },
);
