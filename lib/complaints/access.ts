import type { AuthContext } from "#lib/auth/authenticate";
import type { Role } from "#lib/complaints/machine";
import type { Complaint } from "#lib/data/complaint";
import { notFound } from "#lib/errors";

// Who the caller is to a complaint: its complainant, its respondent, or staff who handle
// complaints. Anyone else gets the 404 a complaint that does not exist gets, so ids tell nothing.
// A party is a party first: staff named in a complaint see it as that party and cannot act on it.

export type Viewer = "COMPLAINANT" | "RESPONDENT" | "STAFF";
export type Caller = Pick<AuthContext, "userId" | "permissions">;

export function viewerOf(c: Complaint | undefined, caller: Caller): Viewer | undefined {
  if (!c) return undefined;
  if (c.complainantId === caller.userId) return "COMPLAINANT";
  if (c.respondentId === caller.userId) return "RESPONDENT";
  return caller.permissions.includes("complaints:manage") ? "STAFF" : undefined;
}

export function requireViewer(c: Complaint | undefined, caller: Caller): { complaint: Complaint; viewer: Viewer } {
  const viewer = viewerOf(c, caller);
  if (!c || !viewer) throw notFound("No such complaint.");
  return { complaint: c, viewer };
}

/** The machine roles a staff member's permissions give. */
export const staffRoles = (permissions: readonly string[]): Role[] => [
  ...(permissions.includes("complaints:manage") ? (["STAFF"] as const) : []),
  ...(permissions.includes("complaints:approve") ? (["APPROVER"] as const) : []),
];
