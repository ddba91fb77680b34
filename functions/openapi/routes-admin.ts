import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminChangeGroups } from "../admin-change-groups/responses";
import { contract as adminDecideApplication } from "../admin-decide-application/responses";
import { contract as adminListApplications } from "../admin-list-applications/responses";
import { contract as adminChangePermissions } from "../admin-change-permissions/responses";
import { contract as adminSetLevel } from "../admin-set-level/responses";
import { contract as adminSetStatus } from "../admin-set-status/responses";
import { contract as applyForAdmin } from "../apply-for-admin/responses";

// Routes of staff user management (functions/admin.yml).
export const adminContracts: RouteContract[] = [
  adminSetStatus,
  adminSetLevel,
  adminChangePermissions,
  adminChangeGroups,
  applyForAdmin,
  adminListApplications,
  adminDecideApplication,
];
