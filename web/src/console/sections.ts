import type { MessageKey } from "../i18n";
import { can, type Session } from "../session";

// The console's sections and what each needs: the permissions of the routes it calls
// (lib/auth/permissions.ts, functions/*/route.ts). A section the session cannot use is neither in
// the side nav nor reachable; inside a section, each control needs its own route's permission.

export type SectionId = "reviews" | "users" | "complaints" | "rewards" | "incidents" | "audit" | "analytics";

export interface Section {
  id: SectionId;
  path: `/console/${SectionId}`;
  label: MessageKey;
  allowed: (session: Session | null) => boolean;
}

const all =
  (...permissions: string[]) =>
  (s: Session | null) =>
    permissions.every((p) => can(s, p));
const any =
  (...permissions: string[]) =>
  (s: Session | null) =>
    permissions.some((p) => can(s, p));

/** Managing users: what the user page changes (status, level, permissions, groups, credit). */
const MANAGES_USERS = any("users:manage", "levels:manage", "permissions:manage", "groups:manage", "credit:recompute");

export const SECTIONS: readonly Section[] = [
  // GET /admin/reviews, GET /admin/reviews/{id}: reviews:read; the decision: reviews:decide.
  { id: "reviews", path: "/console/reviews", label: "console.nav.reviews", allowed: all("reviews:read") },
  // GET /admin/users(/{id}): users:read; the page exists to manage users (POST …/status users:manage,
  // …/level levels:manage, …/permissions permissions:manage, …/credit/recompute credit:recompute),
  // so users:read alone (reviewer, support, ops) does not open it: they look users up where they work.
  { id: "users", path: "/console/users", label: "console.nav.users", allowed: (s) => can(s, "users:read") && MANAGES_USERS(s) },
  // GET /admin/complaints + POST …/transition: complaints:manage; the case and its thread
  // (GET /complaints/{id}, POST …/messages): complaints:file; approving: complaints:approve.
  { id: "complaints", path: "/console/complaints", label: "console.nav.complaints", allowed: all("complaints:manage", "complaints:file") },
  // POST /admin/rewards/grants: rewards:grant; GET …/grants and …/approve: rewards:approve.
  { id: "rewards", path: "/console/rewards", label: "console.nav.rewards", allowed: any("rewards:grant", "rewards:approve") },
  // Every /admin/incidents route: incidents:manage.
  { id: "incidents", path: "/console/incidents", label: "console.nav.incidents", allowed: all("incidents:manage") },
  // GET /admin/audit: audit:read.
  { id: "audit", path: "/console/audit", label: "console.nav.audit", allowed: all("audit:read") },
  // GET /admin/analytics: analytics:read.
  { id: "analytics", path: "/console/analytics", label: "console.nav.analytics", allowed: all("analytics:read") },
];

export const allowedSections = (s: Session | null) => SECTIONS.filter((section) => section.allowed(s));

/** The section a path is in, whether or not the session may use it. */
export const sectionOf = (path: string) => SECTIONS.find((s) => path === s.path || path === `${s.path}/`);

/** Whether the session may open the Users section (links to a user's page only then). */
export const mayOpenUsers = (s: Session | null) => SECTIONS.find((x) => x.id === "users")?.allowed(s) ?? false;
