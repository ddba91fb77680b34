import type { RouteContract } from "#lib/http/contract/define";
import { contract as adminListComplaints } from "../admin-list-complaints/responses";
import { contract as adminListFeedback } from "../admin-list-feedback/responses";
import { contract as adminListUserComplaints } from "../admin-list-user-complaints/responses";
import { contract as adminTransitionComplaint } from "../admin-transition-complaint/responses";
import { contract as fileComplaint } from "../file-complaint/responses";
import { contract as getComplaint } from "../get-complaint/responses";
import { contract as giveFeedback } from "../give-feedback/responses";
import { contract as listMyComplaints } from "../list-my-complaints/responses";
import { contract as postComplaintMessage } from "../post-complaint-message/responses";
import { contract as rateComplaint } from "../rate-complaint/responses";

// Routes of complaints, disputes and feedback (functions/complaints.yml).
export const complaintContracts: RouteContract[] = [
  fileComplaint,
  listMyComplaints,
  getComplaint,
  postComplaintMessage,
  rateComplaint,
  giveFeedback,
  adminListComplaints,
  adminTransitionComplaint,
  adminListFeedback,
  adminListUserComplaints,
];
