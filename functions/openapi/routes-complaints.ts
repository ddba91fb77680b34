import type { RouteSpec } from "#lib/http/route";
import { route as adminListComplaints } from "../admin-list-complaints/route";
import { route as adminListFeedback } from "../admin-list-feedback/route";
import { route as adminTransitionComplaint } from "../admin-transition-complaint/route";
import { route as fileComplaint } from "../file-complaint/route";
import { route as getComplaint } from "../get-complaint/route";
import { route as giveFeedback } from "../give-feedback/route";
import { route as listMyComplaints } from "../list-my-complaints/route";
import { route as postComplaintMessage } from "../post-complaint-message/route";
import { route as rateComplaint } from "../rate-complaint/route";

// Routes of complaints, disputes and feedback (functions/complaints.yml).
export const complaintRoutes: RouteSpec[] = [
  fileComplaint,
  listMyComplaints,
  getComplaint,
  postComplaintMessage,
  rateComplaint,
  giveFeedback,
  adminListComplaints,
  adminTransitionComplaint,
  adminListFeedback,
];
