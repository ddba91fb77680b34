import type { RouteSpec } from "#lib/http/route";
import { route as adminGetDeletion } from "../admin-get-deletion/route";
import { route as adminResumeDeletion } from "../admin-resume-deletion/route";
import { route as deleteAccount } from "../delete-account/route";
import { route as exportData } from "../export-data/route";
import { route as recordConsent } from "../record-consent/route";

// Routes of privacy and data rights (functions/privacy.yml).
export const privacyRoutes: RouteSpec[] = [recordConsent, exportData, deleteAccount, adminGetDeletion, adminResumeDeletion];
