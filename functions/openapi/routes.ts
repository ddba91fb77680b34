// Every HTTP route, for the OpenAPI document and the test that checks serverless.yml against it.

import type { RouteSpec } from "#lib/http/route";
import { adminRoutes } from "./routes-admin";
import { complaintRoutes } from "./routes-complaints";
import { creditRoutes } from "./routes-credit";
import { rewardRoutes } from "./routes-rewards";
import { mfaRoutes } from "./routes-mfa";
import { privacyRoutes } from "./routes-privacy";
import { documentRoutes } from "./routes-documents";
import { incidentRoutes } from "./routes-incidents";
import { analyticsRoutes } from "./routes-analytics";
import { route as changePassword } from "../change-password/route";
import { route as forgotPassword } from "../forgot-password/route";
import { route as getActivity } from "../get-activity/route";
import { route as getMe } from "../get-me/route";
import { route as health } from "../health/route";
import { route as localSms } from "../local-sms/route";
import { route as login } from "../login/route";
import { route as logout } from "../logout/route";
import { route as refresh } from "../refresh/route";
import { route as register } from "../register/route";
import { route as resendVerification } from "../resend-verification/route";
import { route as resetPassword } from "../reset-password/route";
import { route as updateMe } from "../update-me/route";
import { route as verify } from "../verify/route";
import { route as openapi } from "./route";

export const routes: RouteSpec[] = [
  health,
  openapi,
  register,
  verify,
  resendVerification,
  login,
  refresh,
  forgotPassword,
  resetPassword,
  logout,
  getMe,
  updateMe,
  changePassword,
  getActivity,
  localSms,
  ...documentRoutes,
  ...creditRoutes,
  ...adminRoutes,
  ...complaintRoutes,
  ...rewardRoutes,
  ...mfaRoutes,
  ...privacyRoutes,
  ...incidentRoutes,
  ...analyticsRoutes,
];
