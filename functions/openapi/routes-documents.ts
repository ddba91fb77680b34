import type { RouteSpec } from "#lib/http/route";
import { route as adminGetUser } from "../admin-get-user/route";
import { route as adminListUsers } from "../admin-list-users/route";
import { route as createDocument } from "../create-document/route";
import { route as decideReview } from "../decide-review/route";
import { route as getReview } from "../get-review/route";
import { route as listAudit } from "../list-audit/route";
import { route as listDocuments } from "../list-documents/route";
import { route as listReviews } from "../list-reviews/route";
import { route as submitDocument } from "../submit-document/route";

// Routes of identity documents, staff review, audit and staff user lookup.
export const documentRoutes: RouteSpec[] = [
  createDocument,
  submitDocument,
  listDocuments,
  listReviews,
  getReview,
  decideReview,
  listAudit,
  adminListUsers,
  adminGetUser,
];
