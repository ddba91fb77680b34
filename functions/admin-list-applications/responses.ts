import { defineContract } from "#lib/http/contract/define";
import { id, nullable, object, oneOf, optional, page, text, timestamp, uuid } from "#lib/http/contract/fields";
import { LEVELS, USER_STATUSES } from "#lib/http/contract/identity";
import { route } from "./route";

export const contract = defineContract(route, {
  200: page(
    object({
      applicationId: uuid,
      userId: id,
      reason: text(500),
      status: oneOf(["PENDING", "APPROVED", "REJECTED"]),
      createdAt: timestamp,
      decidedAt: optional(timestamp),
      decidedBy: optional(id),
      decisionReason: optional(text(500)),
      /** Null when the applicant's account is gone. */
      applicant: nullable(object({ username: text(32), level: oneOf(LEVELS), status: oneOf(USER_STATUSES) })),
    }),
  ),
});
