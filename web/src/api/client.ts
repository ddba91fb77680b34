import createClient, { type Middleware } from "openapi-fetch";
import { onRefresh, refreshNow, session, signOut, type SignOutReason, type Tokens } from "../session";
import type { paths } from "./schema";

// The one way the pages reach the API: a client typed by the types generated from /openapi.json.
// It adds the access token, renews it once on a 401 and retries, and signs the page out when the
// API says the session is over (revoked, suspended, deleted).

const baseUrl = (import.meta.env.VITE_API_URL as string | undefined) ?? "";

/** Problem codes that end the session: the page signs out on the call that meets them. */
const SESSION_OVER: Record<string, SignOutReason> = {
  TOKEN_REVOKED: "REVOKED",
  INVALID_TOKEN: "EXPIRED",
  TOKEN_EXPIRED: "EXPIRED",
  ACCOUNT_SUSPENDED: "SUSPENDED",
  ACCOUNT_DELETED: "DELETED",
  UNAUTHENTICATED: "EXPIRED",
};

const auth: Middleware = {
  onRequest({ request }) {
    const current = session.get();
    if (current && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${current.accessToken}`);
    return request;
  },
  async onResponse({ request, response }) {
    if (!request.headers.has("authorization") || (response.status !== 401 && response.status !== 403)) return response;
    const problem = (await response.clone().json().catch(() => ({}))) as { code?: string };
    const reason = SESSION_OVER[problem.code ?? ""] ?? (response.status === 401 ? "EXPIRED" : undefined);
    if (!reason) return response;
    if (response.status === 401 && reason === "EXPIRED" && (await refreshNow())) {
      const retry = new Request(request, { headers: new Headers(request.headers) });
      retry.headers.set("authorization", `Bearer ${session.get()?.accessToken ?? ""}`);
      return fetch(retry);
    }
    signOut(reason);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl });
api.use(auth);

onRefresh(async (refreshToken) => {
  const { data } = await api.POST("/auth/refresh", { body: { refreshToken } });
  return (data as Tokens | undefined) ?? null;
});
