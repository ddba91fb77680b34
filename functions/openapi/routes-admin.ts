import type { RouteSpec } from "#lib/http/route";
import { route as adminChangeGroups } from "../admin-change-groups/route";
import { route as adminDecideApplication } from "../admin-decide-application/route";
import { route as adminListApplications } from "../admin-list-applications/route";
import { route as adminChangePermissions } from "../admin-change-permissions/route";
import { route as adminSetLevel } from "../admin-set-level/route";
import { route as adminSetStatus } from "../admin-set-status/route";
import { route as applyForAdmin } from "../apply-for-admin/route";

// Routes of staff user management (functions/admin.yml).
export const adminRoutes: RouteSpec[] = [
  adminSetStatus,
  adminSetLevel,
  adminChangePermissions,
  adminChangeGroups,
  applyForAdmin,
  adminListApplications,
  adminDecideApplication,
];
