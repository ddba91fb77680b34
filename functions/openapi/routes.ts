// Every HTTP route with its contract: for the OpenAPI document, for the tests that check each
// answer against it, and for the test that checks serverless.yml against the routes.

import type { RouteContract } from "#lib/http/contract/define";
import { adminContracts } from "./routes-admin";
import { complaintContracts } from "./routes-complaints";
import { creditContracts } from "./routes-credit";
import { rewardContracts } from "./routes-rewards";
import { mfaContracts } from "./routes-mfa";
import { privacyContracts } from "./routes-privacy";
import { documentContracts } from "./routes-documents";
import { incidentContracts } from "./routes-incidents";
import { analyticsContracts } from "./routes-analytics";
import { contract as changePassword } from "../change-password/responses";
import { contract as forgotPassword } from "../forgot-password/responses";
import { contract as getActivity } from "../get-activity/responses";
import { contract as getMe } from "../get-me/responses";
import { contract as health } from "../health/responses";
import { contract as localSms } from "../local-sms/responses";
import { contract as login } from "../login/responses";
import { contract as logout } from "../logout/responses";
import { contract as refresh } from "../refresh/responses";
import { contract as register } from "../register/responses";
import { contract as resendVerification } from "../resend-verification/responses";
import { contract as resetPassword } from "../reset-password/responses";
import { contract as updateMe } from "../update-me/responses";
import { contract as verify } from "../verify/responses";
import { contract as openapi } from "./responses";

export const contracts: RouteContract[] = [
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
  ...documentContracts,
  ...creditContracts,
  ...adminContracts,
  ...complaintContracts,
  ...rewardContracts,
  ...mfaContracts,
  ...privacyContracts,
  ...incidentContracts,
  ...analyticsContracts,
];

/** The route specs alone (what serverless.yml wires, what the handlers enforce). */
export const routes = contracts.map((c) => c.route);
