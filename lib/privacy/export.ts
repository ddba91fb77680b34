import { recordAudit } from "#lib/audit/trail";
import type { ClientInfo } from "#lib/caller";
import { complaintView } from "#lib/complaints/views";
import { readCase } from "#lib/data/complaint-entry";
import { applicationItemsOf, feedbackItemsOf, userPartition } from "#lib/data/privacy";
import { getUser, type UserRecord } from "#lib/data/user";
import { notFound } from "#lib/errors";
import * as view from "#lib/privacy/export-views";

// GET /me/data-export: everything we hold about the user as one JSON document (PIPL art. 45,
// GDPR art. 15 and 20). The user's partition is read whole, page by page (Query following
// LastEvaluatedKey), and sorted by entity; the items about the user kept elsewhere follow:
// complaints (each read as the party the user is, so a respondent never sees who complained),
// feedback (GSI3) and admin applications. Each entity has its whitelist (export-views.ts).
// Every export is audited.

type Item = Record<string, unknown>;

export const EXPORT_FORMAT = "sharing-users/data-export/v1";

/** Items of the partition grouped by their entity tag. */
function byEntity(items: Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const entity = String(item.entity);
    groups.set(entity, [...(groups.get(entity) ?? []), item]);
  }
  return groups;
}

async function complaintsOf(links: Item[]) {
  const filed: unknown[] = [];
  const against: unknown[] = [];
  for (const link of links) {
    const { complaint, entries } = await readCase(String(link.complaintId));
    if (!complaint) continue;
    if (link.role === "FILED" && complaint.complainantId === link.userId) {
      const { againstUserId: _other, ...mine } = complaintView(complaint, entries, "COMPLAINANT") as Record<string, unknown>;
      filed.push(mine);
    } else if (link.role === "AGAINST" && complaint.respondentId === link.userId) {
      against.push(complaintView(complaint, entries, "RESPONDENT"));
    }
  }
  return { filed, against };
}

/** The export document of a user. */
export async function buildExport(user: UserRecord) {
  const [items, feedback, applications] = await Promise.all([userPartition(user.userId), feedbackItemsOf(user.userId), applicationItemsOf(user.userId)]);
  const of = byEntity(items);
  const list = (entity: string) => of.get(entity) ?? [];
  const ledger = list("REWARD_ENTRY").sort((a, b) => String(b.at).localeCompare(String(a.at)));
  const account = list("REWARD_ACCOUNT")[0];
  const links = list("COMPLAINT_LINK").map((l) => ({ ...l, userId: user.userId }));
  return {
    format: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    profile: await view.profileView(user),
    consents: list("CONSENT").map(view.consentView),
    loginActivity: list("ACTIVITY").map(view.activityView).sort((a, b) => String(b.at).localeCompare(String(a.at))),
    devices: list("DEVICE").map(view.deviceView),
    networks: list("NETWORK").map(view.networkView),
    sessions: list("SESSION").map(view.sessionView),
    documents: await Promise.all(list("DOCUMENT").map(view.documentView)),
    credit: {
      score: user.creditScore,
      tier: user.creditTier,
      computedAt: user.creditComputedAt,
      history: list("CREDIT_HISTORY").map(view.creditHistoryView).sort((a, b) => String(b.at).localeCompare(String(a.at))),
      behaviourEvents: list("CREDIT_EVENT").map(view.behaviourEventView),
    },
    rewards: {
      balance: user.points,
      ledger: ledger.map(view.ledgerView),
      achievements: (account?.achievements as string[] | undefined) ?? ledger.flatMap((e) => (e.achievementId ? [e.achievementId] : [])),
    },
    complaints: await complaintsOf(links),
    feedback: feedback.map(view.feedbackView),
    adminApplications: applications.map(view.applicationView),
    messages: list("OUTBOX").map(view.messageView),
    mfa: { enabled: user.mfa !== undefined },
  };
}

/** GET /me/data-export for the signed-in user: read consistently, audited (an entry per export, no PII in it). */
export async function exportMyData(userId: string, client: Pick<ClientInfo, "requestId">) {
  const user = await getUser(userId, true);
  if (!user) throw notFound("No such user.");
  const document = await buildExport(user);
  await recordAudit([
    {
      actorId: userId,
      action: "DATA_EXPORTED",
      targetUserId: userId,
      requestId: client.requestId,
      details: { complaints: document.complaints.filed.length + document.complaints.against.length, ledgerEntries: document.rewards.ledger.length, loginActivity: document.loginActivity.length },
    },
  ]);
  return document;
}
