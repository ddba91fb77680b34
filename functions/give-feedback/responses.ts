import { defineContract } from "#lib/http/contract/define";
import { object, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 201: object({ feedbackId: uuid, createdAt: timestamp }) }, { rateLimits: ["feedback"] });
