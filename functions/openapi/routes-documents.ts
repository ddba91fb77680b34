import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminGetUser } from "../admin-get-user/responses";
import { contract as adminGetUserActivity } from "../admin-get-user-activity/responses";
import { contract as adminListUserDocuments } from "../admin-list-user-documents/responses";
import { contract as adminListUsers } from "../admin-list-users/responses";
import { contract as createDocument } from "../create-document/responses";
import { contract as decideReview } from "../decide-review/responses";
import { contract as getReview } from "../get-review/responses";
import { contract as listAudit } from "../list-audit/responses";
import { contract as listDocuments } from "../list-documents/responses";
import { contract as listReviews } from "../list-reviews/responses";
import { contract as submitDocument } from "../submit-document/responses";

// Routes of identity documents, staff review, audit and staff user lookup.
export const documentContracts: RouteContract[] = [
  createDocument,
  submitDocument,
  listDocuments,
  listReviews,
  getReview,
  decideReview,
  listAudit,
  adminListUsers,
  adminGetUser,
  adminGetUserActivity,
  adminListUserDocuments,
];
