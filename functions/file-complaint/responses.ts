import { PRIORITIES } from "#lib/data/complaint-values";
import { ticketNo } from "#lib/http/contract/complaints";
import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(
  route,
  {
    201: object({
      complaintId: uuid,
      ticketNo,
      status: oneOf(["RECEIVED"]),
      priority: oneOf(PRIORITIES),
      createdAt: timestamp,
      firstResponseDueAt: timestamp,
      resolutionDueAt: timestamp,
    }),
  },
  { rateLimits: ["complaints"] },
);
