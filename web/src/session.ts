import { createStore, useStore } from "./store";

// The signed-in session lives in memory only (nothing sensitive in localStorage or cookies): a
// reload signs out. The access token is renewed silently with the refresh token a minute before
// it expires; when the API refuses the session (revoked, suspended, deleted) the app signs out.

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export interface Session {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
  /** From the id token, for the header. */
  username: string;
  /** From GET /me after sign-in: what the UI shows or hides (the API still decides every call). */
  groups: string[];
  permissions: string[];
}

export type SignOutReason = "USER" | "EXPIRED" | "REVOKED" | "SUSPENDED" | "DELETED";

export const session = createStore<Session | null>(null);
/** Why the last session ended, for the login page to say so. */
export const lastSignOut = createStore<SignOutReason | null>(null);

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refresher: ((refreshToken: string) => Promise<Tokens | null>) | undefined;

/** The client registers how a refresh is done (it owns the HTTP side). */
export function onRefresh(fn: (refreshToken: string) => Promise<Tokens | null>) {
  refresher = fn;
}

function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function signIn(tokens: Tokens) {
  const claims = claimsOf(tokens.idToken);
  const previous = session.get();
  const refreshToken = tokens.refreshToken ?? previous?.refreshToken;
  const next: Session = {
    accessToken: tokens.accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    username: String(claims["cognito:username"] ?? claims.preferred_username ?? previous?.username ?? ""),
    groups: previous?.groups ?? [],
    permissions: previous?.permissions ?? [],
  };
  lastSignOut.set(null);
  session.set(next);
  scheduleRefresh(next);
}

function scheduleRefresh(current: Session) {
  clearTimeout(refreshTimer);
  if (!current.refreshToken) return;
  const inMs = Math.max(5_000, current.expiresAt - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refreshNow(), inMs);
}

/** Renews the access token now; signs out if the refresh token is refused. */
export async function refreshNow(): Promise<boolean> {
  const current = session.get();
  if (!current?.refreshToken || !refresher) return false;
  const tokens = await refresher(current.refreshToken);
  if (session.get() !== current) return session.get() !== null; // signed out or refreshed meanwhile
  if (!tokens) {
    signOut("EXPIRED");
    return false;
  }
  signIn(tokens);
  return true;
}

export function signOut(reason: SignOutReason) {
  clearTimeout(refreshTimer);
  lastSignOut.set(reason);
  session.set(null);
}

/** Records who the API says the user is (GET /me): groups and permissions. */
export function setAccess(groups: string[], permissions: string[]) {
  const current = session.get();
  if (current) session.set({ ...current, groups, permissions });
}

export const useSession = () => useStore(session);
export const isStaff = (s: Session | null) => !!s && s.groups.length > 0;
export const can = (s: Session | null, permission: string) => !!s && s.permissions.includes(permission);
