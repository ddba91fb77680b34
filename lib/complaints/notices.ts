import type { Action } from "#lib/complaints/machine";
import { batchGet } from "#lib/data/batch";
import type { Complaint } from "#lib/data/complaint";
import type { TransactItem } from "#lib/data/transactions";
import { fromUserItem, userKey } from "#lib/data/user";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import type { ParamsOf, TemplateName } from "#lib/notify/templates";

// Who is told what, as data: the complainant at every step they see (not the internal proposal
// and approval), the respondent when mediation brings them in and when the case is decided.
// Mails leave through the outbox, in the transaction of the change; a party without a contact
// (an erased account) is simply not mailed.

export type Party = "COMPLAINANT" | "RESPONDENT";
export type Notice = { [T in TemplateName]: { to: Party; template: T; params: ParamsOf<T> } }[TemplateName];

/** Actions the complainant hears of (the status they lead to, with what they need to know). */
const TOLD_TO_COMPLAINANT: readonly Action[] = ["CLASSIFY", "START_MEDIATION", "START_INVESTIGATION", "RESOLVE", "CLOSE", "REJECT"];

function statusDetail(after: Complaint, action: Action): string {
  if (action === "RESOLVE" && after.proposal) return `Outcome: ${after.proposal.outcome.replace(/_/g, " ").toLowerCase()}. ${after.proposal.resolution}`;
  if (action === "REJECT") return `Reason: ${after.rejectedReason ?? ""}`;
  if (action === "START_MEDIATION") return "We have asked the other party for their side.";
  if (action === "CLOSE" && !after.satisfaction) return "You can still rate how we handled it in the app.";
  return "";
}

export function transitionNotices(before: Complaint, after: Complaint, action: Action): Notice[] {
  const notices: Notice[] = [];
  if (TOLD_TO_COMPLAINANT.includes(action)) {
    notices.push({ to: "COMPLAINANT", template: "COMPLAINT_STATUS", params: { ticketNo: after.ticketNo, status: after.status, detail: statusDetail(after, action) } });
  }
  if (after.respondentId && action === "START_MEDIATION") {
    notices.push({ to: "RESPONDENT", template: "COMPLAINT_MEDIATION", params: { ticketNo: after.ticketNo, category: after.category } });
  }
  // The respondent hears the decision only if mediation brought them in.
  if (after.respondentId && before.mediationStartedAt && (action === "RESOLVE" || action === "REJECT")) {
    notices.push({ to: "RESPONDENT", template: "COMPLAINT_DECIDED", params: { ticketNo: after.ticketNo, outcome: action === "REJECT" ? "REJECTED" : (after.proposal?.outcome ?? "NOT_UPHELD") } });
  }
  return notices;
}

/** A new message: every other party who takes part (the respondent once mediation started). */
export function messageNotices(c: Complaint, author: Party | "STAFF"): Notice[] {
  const parties: Party[] = ["COMPLAINANT", ...(c.respondentId && c.mediationStartedAt ? (["RESPONDENT"] as const) : [])];
  return parties.filter((p) => p !== author).map((to) => ({ to, template: "COMPLAINT_MESSAGE", params: { ticketNo: c.ticketNo } }));
}

/** The outbox items of the notices (one BatchGetItem for the recipients). */
export async function noticeItems(c: Complaint, notices: Notice[]): Promise<TransactItem[]> {
  if (notices.length === 0) return [];
  const idOf = (to: Party) => (to === "COMPLAINANT" ? c.complainantId : (c.respondentId ?? ""));
  const ids = [...new Set(notices.map((n) => idOf(n.to)))].filter(Boolean);
  const users = new Map((await batchGet(ids.map(userKey))).flatMap((item) => fromUserItem(item) ?? []).map((u) => [u.userId, u]));
  const items = notices.map((n) => {
    const user = users.get(idOf(n.to));
    if (!user || user.status === "DELETED" || (!user.emailEnc && !user.phoneEnc)) return undefined;
    return queueMessage(user, preferredChannel(user), n.template, n.params as never);
  });
  return (await Promise.all(items)).filter((i): i is Awaited<ReturnType<typeof queueMessage>> => i !== undefined);
}
