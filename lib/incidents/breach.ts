import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { type TargetEffect, type TargetKey, targetKey, targetsPage } from "#lib/data/incident-target";
import { OUTBOX_TTL_SECONDS, outboxKey } from "#lib/data/outbox";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import { applyToIncident } from "#lib/incidents/effects";
import { none, userMeasure, userUpdate } from "#lib/incidents/measure";
import { type RunbookStep, type StepContext, type StepResult, tally } from "#lib/incidents/step";
import { PAGE_TIME_MS } from "#lib/incidents/targets";

// DATA_BREACH: the authority deadline on record, a notice to every affected user through the
// outbox at a pace the mail provider can take, with the evidence per user (queued: when and which
// message; delivered: when, copied from the outbox item once the sender settled it), and a required
// password reset (with every session ended) when credentials were involved.

export const AUTHORITY_HOURS = 72;
export const NOTICE = "notify-affected-users";

export const recordAuthorityDeadline: RunbookStep = {
  name: "record-authority-deadline",
  async run(context) {
    const deadline = new Date(Date.parse(context.incident.detectedAt) + AUTHORITY_HOURS * 3600_000).toISOString();
    await applyToIncident(context, "record-authority-deadline", "RECORDED", [], { authorityDeadline: deadline }, { authorityDeadline: deadline });
    return { done: true, counts: { hours: AUTHORITY_HOURS } };
  },
};

/** Starts at most `perSecond` per second (per instance: every breach this instance works on shares it). */
function pacer(perSecond: number) {
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + 1000 / perSecond;
    if (at - now >= 1) await new Promise((r) => setTimeout(r, at - now));
  };
}
let pace: (() => Promise<void>) | undefined;

const categoriesText = (categories: string[] = []) => categories.map((c) => c.toLowerCase().replace(/_/g, " ")).join(", ");

/** About two seconds of notices per page, so a page ends well inside the invocation. */
const noticePage = () => ({ pageSize: Math.max(10, Math.min(100, Math.round(config().incidents.noticeRatePerSecond * 2))), lanes: 4 });

export const notifyAffectedUsers: RunbookStep = {
  name: NOTICE,
  run: (context) =>
    userMeasure(
      NOTICE,
      async (user, { incident }) => {
        // An unverified address may not be the user's: the notice would tell a stranger.
        if (!user || user.status === "PENDING_VERIFICATION") return none("NOT_NOTIFIED");
        if (!user.emailEnc && !user.phoneEnc) return none("NO_CONTACT");
        pace ??= pacer(config().incidents.noticeRatePerSecond);
        await pace();
        const credentials = incident.details.credentialsInvolved === true;
        const channel = preferredChannel(user);
        const message = await queueMessage(user, channel, "DATA_BREACH_NOTICE", {
          detectedAt: incident.detectedAt.slice(0, 10),
          categories: categoriesText(incident.details.dataCategories),
          passwordReset: credentials ? "REQUIRED" : "NOT_REQUIRED",
        });
        const reset = userUpdate(
          user.userId,
          { set: ["passwordResetRequired = if_not_exists(passwordResetRequired, :required)", "tokensValidAfter = :mark"], remove: ["keptSessionId"] },
          "attribute_exists(PK)",
          { ":required": { by: `incident:${incident.incidentId}`, at: new Date().toISOString() }, ":mark": Date.now() + 1 },
        );
        return { outcome: "QUEUED", items: [message, ...(credentials ? [reset] : [])], effect: { messageId: message.Put.Item.messageId, channel } };
      },
      { page: noticePage() },
    ).run(context),
};

interface ConfirmCursor {
  /** Where this pass goes on. */
  start: TargetKey | null;
  /** Where the first notice still pending in this pass was: the next pass starts there. */
  firstPending?: TargetKey | null;
  pending: number;
}

const FINAL = new Set(["DELIVERED", "FAILED", "EXPIRED"]);

/**
 * Copies what became of each queued notice from its outbox item (delivered, failed, expired) onto
 * the user's evidence, pass after pass (`confirmDelaySeconds` apart) until none is pending. A notice
 * still unsettled when its outbox item's life is over (3 days) is recorded UNCONFIRMED.
 */
export const confirmDeliveries: RunbookStep = {
  name: "confirm-deliveries",
  async run(context: StepContext): Promise<StepResult> {
    const counts = { ...context.counts };
    const position: ConfirmCursor = context.cursor ? (JSON.parse(context.cursor) as ConfirmCursor) : { start: null, pending: 0 };
    for (;;) {
      if (context.timeLeft() < PAGE_TIME_MS) return { done: false, counts, cursor: JSON.stringify(position) };
      const pageStart = position.start;
      const { targets, last } = await targetsPage(context.incident.incidentId, 100, position.start ?? undefined);
      const open = targets.filter((t) => t.effects[NOTICE]?.outcome === "QUEUED" && !t.effects[NOTICE]?.settledAt);
      const messages = await batchGet(
        open.map((t) => outboxKey(t.userId, t.effects[NOTICE]?.messageId ?? "")),
        { consistent: true },
      );
      let pendingHere = 0;
      await Promise.all(
        open.map(async (target, i) => {
          const notice = target.effects[NOTICE] as TargetEffect;
          const item = messages[i];
          const status = typeof item?.status === "string" ? item.status : undefined;
          const expired = Date.now() > Date.parse(notice.at) + OUTBOX_TTL_SECONDS * 1000;
          if (status && FINAL.has(status)) await settle(context, target.userId, status, item?.deliveredAt as string | undefined, item?.settledAt as string | undefined);
          else if (expired) await settle(context, target.userId, "UNCONFIRMED");
          else return void pendingHere++;
          tally(counts, status && FINAL.has(status) ? status.toLowerCase() : "unconfirmed");
        }),
      );
      if (pendingHere > 0 && position.firstPending === undefined) position.firstPending = pageStart;
      position.pending += pendingHere;
      position.start = last ?? null;
      if (last) {
        await context.saveProgress(JSON.stringify(position), { ...counts, pending: position.pending });
        continue;
      }
      if (position.pending === 0) return { done: true, counts: Object.fromEntries(Object.entries(counts).filter(([k]) => k !== "pending")) };
      // Notices still on their way: another pass later, from the first page that had one.
      const next: ConfirmCursor = { start: position.firstPending ?? null, pending: 0 };
      return { done: false, counts: { ...counts, pending: position.pending }, cursor: JSON.stringify(next), delaySeconds: config().incidents.confirmDelaySeconds };
    }
  },
};

async function settle(context: StepContext, userId: string, status: string, deliveredAt?: string, settledAt?: string): Promise<void> {
  await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: targetKey(context.incident.incidentId, userId),
      UpdateExpression: `SET effects.#notice.#status = :status, effects.#notice.settledAt = :settled${deliveredAt ? ", effects.#notice.deliveredAt = :delivered" : ""}`,
      ConditionExpression: "attribute_exists(effects.#notice)",
      ExpressionAttributeNames: { "#notice": NOTICE, "#status": "status" },
      ExpressionAttributeValues: { ":status": status, ":settled": settledAt ?? new Date().toISOString(), ...(deliveredAt ? { ":delivered": deliveredAt } : {}) },
    }),
  );
}
