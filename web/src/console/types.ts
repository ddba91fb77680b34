import type { Body } from "./shared";

// The API's answers the console passes between its files (generated types: web/src/api/schema.d.ts).

/** GET /admin/users/{userId} */
export type StaffUser = Body<"/admin/users/{userId}", "get">;
/** GET /complaints/{complaintId} as staff see it (with the actions the process allows). */
export type StaffComplaint = Extract<Body<"/complaints/{complaintId}", "get">, { legalActions: unknown }>;
