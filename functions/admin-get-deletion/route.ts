import * as z from "zod/mini";
import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/deletions/{userId}",
  summary: "The progress of an account deletion: its status and each step's status, times, failures, last error and counts",
  tags: ["admin", "privacy"],
  auth: "staff",
  permission: "users:manage",
  params: z.strictObject({ userId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  responses: { 200: "{ userId, status, requestedAt, updatedAt, finishedAt?, attempts, steps: [{ name, status, startedAt?, finishedAt?, failures?, lastError?, counts? }] }", 404: "No deletion of this user" },
});
