import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/admin/analytics",
  summary: "Aggregate figures: users by level, credit tier and lifecycle stage, churn risk, registrations per day (30 days), feedback ratings",
  tags: ["admin", "analytics"],
  auth: "staff",
  permission: "analytics:read",
  responses: { 200: "{ users, byLevel, byTier, byLifecycle, churnRisk, registrationsPerDay: [{ date, count }], feedbackRatings: { counts, total, average }, generatedAt }" },
});
