import { INCIDENT_STATUSES } from "#lib/data/incident-values";
import { defineContract } from "#lib/http/contract/define";
import { object, oneOf, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, { 200: object({ incidentId: uuid, status: oneOf(INCIDENT_STATUSES) }) });
