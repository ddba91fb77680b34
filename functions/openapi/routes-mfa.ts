import type { RouteContract } from "#lib/http/contract/define";
import { contract as loginMfa } from "../login-mfa/responses";
import { contract as mfaConfirm } from "../mfa-confirm/responses";
import { contract as mfaDisable } from "../mfa-disable/responses";
import { contract as mfaStart } from "../mfa-start/responses";

// Routes of two-factor sign-in (functions/mfa.yml).
export const mfaContracts: RouteContract[] = [loginMfa, mfaStart, mfaConfirm, mfaDisable];
