import { signOutEverywhere } from "#lib/clients/cognito";
import type { IncidentTarget } from "#lib/data/incident-target";
import { type UserRecord, userStatusIndex } from "#lib/data/user";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import { none, userMeasure, userUpdate } from "#lib/incidents/measure";
import { REACTIVATION_NOTICE } from "#lib/incidents/runbooks";
import type { StepContext } from "#lib/incidents/step";

// Measures on accounts, each taken once per user and recorded on the user's target item:
// suspension (status SUSPENDED with the incident named in `incidentSuspensions`, and the
// revocation mark, as a staff suspension does), revocation of every session, a required password
// reset, frozen rewards (the incident in `rewardFreezes`); and their lifting by a resolve, which
// touches only what this incident did: a user suspended by staff stays suspended.

const ids = (context: StepContext) => new Set([context.incident.incidentId]);
const holdsOf = (user: UserRecord) => new Set(user.incidentSuspensions ?? []);
const statusNames = { "#status": "status" };

export const suspendAccounts = userMeasure("suspend-accounts", (user, context) => {
  if (!user) return none("NO_SUCH_USER");
  const revocation = { ":mark": Date.now() + 1 };
  if (user.status === "ACTIVE") {
    return {
      outcome: "SUSPENDED",
      items: [
        userUpdate(
          user.userId,
          { set: ["#status = :suspended", "GSI1PK = :gsi1", "tokensValidAfter = :mark", "incidentSuspensions = :ids"], remove: ["keptSessionId"] },
          "#status = :active",
          { ":suspended": "SUSPENDED", ":active": "ACTIVE", ":gsi1": userStatusIndex(user.userId, "SUSPENDED", user.createdAt).GSI1PK, ":ids": ids(context), ...revocation },
          statusNames,
        ),
      ],
    };
  }
  // Already held by other incidents: this one holds it too, so resolving theirs does not free it.
  if (user.status === "SUSPENDED" && holdsOf(user).size > 0) {
    return { outcome: "SUSPENDED", items: [userUpdate(user.userId, { set: ["tokensValidAfter = :mark"], add: ["incidentSuspensions :ids"] }, "#status = :suspended AND attribute_exists(incidentSuspensions)", { ":ids": ids(context), ":suspended": "SUSPENDED", ...revocation }, statusNames)] };
  }
  return none(user.status === "SUSPENDED" ? "ALREADY_SUSPENDED" : `NOT_ACTIVE`);
});

export const revokeSessions = userMeasure(
  "revoke-sessions",
  (user) => (user ? { outcome: "REVOKED", items: [userUpdate(user.userId, { set: ["tokensValidAfter = :mark"], remove: ["keptSessionId"] }, "attribute_exists(PK)", { ":mark": Date.now() + 1 })] } : none("NO_SUCH_USER")),
  // Cognito's own refresh tokens too (ours die with the mark); before the record, so a retry repeats it.
  { before: signOutEverywhere },
);

export const requirePasswordReset = userMeasure("require-password-reset", (user, context) =>
  user
    ? {
        outcome: user.passwordResetRequired ? "ALREADY_REQUIRED" : "REQUIRED",
        items: [userUpdate(user.userId, { set: ["passwordResetRequired = if_not_exists(passwordResetRequired, :required)"] }, "attribute_exists(PK)", { ":required": { by: `incident:${context.incident.incidentId}`, at: new Date().toISOString() } })],
      }
    : none("NO_SUCH_USER"),
);

export const freezeRewards = userMeasure("freeze-rewards", (user, context) =>
  user ? { outcome: "FROZEN", items: [userUpdate(user.userId, { add: ["rewardFreezes :ids"] }, "attribute_exists(PK)", { ":ids": ids(context) })] } : none("NO_SUCH_USER"),
);

export const notifyAccountOwners = userMeasure("notify-users", async (user, context) => {
  if (!user || user.status === "PENDING_VERIFICATION") return none("NOT_NOTIFIED");
  if (!user.emailEnc && !user.phoneEnc) return none("NO_CONTACT");
  const channel = preferredChannel(user);
  const message = await queueMessage(user, channel, "ACCOUNT_SECURED", { at: `${context.incident.receivedAt.slice(0, 16).replace("T", " ")} UTC` });
  return { outcome: "QUEUED", items: [message], effect: { messageId: message.Put.Item.messageId, channel } };
});

const ourSuspension = (target: IncidentTarget) => target.effects["suspend-accounts"]?.outcome === "SUSPENDED";

/**
 * Resolve: frees the users this incident suspended. The last incident holding a user reactivates
 * it (told by mail when the runbook said so); one still held by another incident stays suspended;
 * a user whose suspension staff took over (no hold of ours left) is not touched.
 */
export const liftSuspensions = userMeasure(
  "lift-suspensions",
  async (user, context) => {
    const id = context.incident.incidentId;
    const notice = REACTIVATION_NOTICE[context.incident.type];
    if (!user || !holdsOf(user).has(id)) return none("NOT_HELD");
    if (user.status === "SUSPENDED" && holdsOf(user).size === 1) {
      return {
        outcome: "REACTIVATED",
        items: [
          userUpdate(
            user.userId,
            { set: ["#status = :active", "GSI1PK = :gsi1"], remove: ["incidentSuspensions"] },
            "#status = :suspended AND contains(incidentSuspensions, :id) AND size(incidentSuspensions) = :one",
            { ":active": "ACTIVE", ":suspended": "SUSPENDED", ":gsi1": userStatusIndex(user.userId, "ACTIVE", user.createdAt).GSI1PK, ":id": id, ":one": 1 },
            statusNames,
          ),
          ...(notice ? [await queueMessage(user, preferredChannel(user), "ACCOUNT_REACTIVATED", { reason: notice })] : []),
        ],
      };
    }
    return { outcome: "RELEASED", items: [userUpdate(user.userId, { delete: ["incidentSuspensions :ids"] }, "contains(incidentSuspensions, :id)", { ":ids": ids(context), ":id": id })] };
  },
  { onlyIf: ourSuspension },
);

export const unfreezeRewards = userMeasure(
  "unfreeze-rewards",
  (user, context) => (user ? { outcome: "UNFROZEN", items: [userUpdate(user.userId, { delete: ["rewardFreezes :ids"] }, "attribute_exists(PK)", { ":ids": ids(context) })] } : none("NO_SUCH_USER")),
  { onlyIf: (target) => target.effects["freeze-rewards"]?.outcome === "FROZEN" },
);
