import type { RouteSpec } from "#lib/http/route";
import { route as adminGetIncident } from "../admin-get-incident/route";
import { route as adminListIncidentUsers } from "../admin-list-incident-users/route";
import { route as adminListIncidents } from "../admin-list-incidents/route";
import { route as adminOpenIncident } from "../admin-open-incident/route";
import { route as adminResolveIncident } from "../admin-resolve-incident/route";

// Routes of incident response (functions/incidents.yml).
export const incidentRoutes: RouteSpec[] = [adminOpenIncident, adminListIncidents, adminGetIncident, adminListIncidentUsers, adminResolveIncident];
