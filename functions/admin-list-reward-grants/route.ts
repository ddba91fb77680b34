import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";
import { listQuery } from "#lib/http/schemas";

export const route = defineRoute({
  method: "GET",
  path: "/admin/rewards/grants",
  summary: "Staff grants by status, oldest first (approvers list PENDING_APPROVAL)",
  tags: ["admin", "rewards"],
  auth: "staff",
  permission: "rewards:approve",
  query: z.extend(listQuery, { status: z._default(z.enum(["PENDING_APPROVAL", "GRANTED"]), "PENDING_APPROVAL") }),
  responses: { 200: "{ items: [{ grantId, userId, points, achievementId?, reason, status, requestedBy, createdAt, approvedBy?, approvedAt? }], nextCursor }", 400: "INVALID_CURSOR" },
});
