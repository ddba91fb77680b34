import type { RouteSpec } from "#lib/http/route";
import { route as recordConsent } from "../record-consent/route";

// Routes of privacy and data rights (functions/privacy.yml).
export const privacyRoutes: RouteSpec[] = [recordConsent];
