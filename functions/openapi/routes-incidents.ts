import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminGetIncident } from "../admin-get-incident/responses";
import { contract as adminListIncidentUsers } from "../admin-list-incident-users/responses";
import { contract as adminListIncidents } from "../admin-list-incidents/responses";
import { contract as adminOpenIncident } from "../admin-open-incident/responses";
import { contract as adminResolveIncident } from "../admin-resolve-incident/responses";

// Routes of incident response (functions/incidents.yml).
export const incidentContracts: RouteContract[] = [adminOpenIncident, adminListIncidents, adminGetIncident, adminListIncidentUsers, adminResolveIncident];
