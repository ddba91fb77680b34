import { api } from "../api/client";
import { navigate } from "../router";
import { setAccess, signIn, type Tokens } from "../session";

/** After tokens: who the API says we are, then where the user was going (staff without 2FA enrol first). */
export async function completeSignIn(tokens: Tokens, next: string | null) {
  signIn(tokens);
  const { data: me } = await api.GET("/me");
  const groups = me?.groups ?? [];
  setAccess(groups, me?.permissions ?? []);
  const mfaOn = me?.mfa.enabled === true;
  if (groups.length > 0 && !mfaOn) return navigate("/account/security?required=1", { replace: true });
  navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/account", { replace: true });
}
