import { defineRoute } from "#lib/http/route";

export const route = defineRoute({
  method: "GET",
  path: "/me/data-export",
  summary: "Everything held about the signed-in user as one JSON document (no secrets, nothing of other users); audited",
  tags: ["me", "privacy"],
  auth: "user",
  permission: "profile:read",
  responses: {
    200: "{ format, exportedAt, profile, consents, loginActivity, devices, networks, sessions, documents, credit: { score, tier, history, behaviourEvents }, rewards: { balance, ledger, achievements }, complaints: { filed, against }, feedback, adminApplications, messages, mfa: { enabled } }",
  },
});
