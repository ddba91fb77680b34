import type { RouteSpec } from "#lib/http/route";
import { route as loginMfa } from "../login-mfa/route";
import { route as mfaConfirm } from "../mfa-confirm/route";
import { route as mfaDisable } from "../mfa-disable/route";
import { route as mfaStart } from "../mfa-start/route";

// Routes of two-factor sign-in (functions/mfa.yml).
export const mfaRoutes: RouteSpec[] = [loginMfa, mfaStart, mfaConfirm, mfaDisable];
