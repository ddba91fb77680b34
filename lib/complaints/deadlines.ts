import { OPEN_STATUSES } from "#lib/complaints/machine";
import type { Complaint, DeadlineKind, Priority } from "#lib/data/complaint";

// Service levels (ISO 10002): a first staff response within 24 hours, a resolution within 7
// days, and a resolved complaint closes by itself 7 days later (all configurable). A complaint
// carries its next deadline (`due`), which its item indexes in GSI2, so the nightly job reads only
// what is due. A missed deadline is escalated once: marked, the priority raised one step, a
// timeline entry written; the next deadline then takes its place.

export interface SlaSettings {
  firstResponseHours: number;
  resolutionDays: number;
  closeAfterDays: number;
}

const HOUR_MS = 3_600_000;
const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The deadlines a complaint gets when it is filed (kept on it, so a later change of settings does not move them). */
export const deadlinesFrom = (createdAt: string, sla: SlaSettings) => ({
  firstResponseDueAt: after(createdAt, sla.firstResponseHours * HOUR_MS),
  resolutionDueAt: after(createdAt, sla.resolutionDays * 24 * HOUR_MS),
});

/** The complaint's next deadline, or none (closed, rejected, or every deadline already escalated). */
export function nextDeadline(c: Complaint, sla: SlaSettings): Complaint["due"] {
  if (c.status === "RESOLVED" && c.resolvedAt) return { kind: "AUTO_CLOSE", at: after(c.resolvedAt, sla.closeAfterDays * 24 * HOUR_MS) };
  if (!OPEN_STATUSES.includes(c.status)) return undefined;
  const escalated = new Set((c.escalations ?? []).map((e) => e.kind));
  if (!c.firstResponseAt && !escalated.has("FIRST_RESPONSE")) return { kind: "FIRST_RESPONSE", at: c.firstResponseDueAt };
  if (!escalated.has("RESOLUTION")) return { kind: "RESOLUTION", at: c.resolutionDueAt };
  return undefined;
}

/** The complaint with its `due` brought up to date (call after any change). */
export const withDeadline = (c: Complaint, sla: SlaSettings): Complaint => {
  const { due: _old, ...rest } = c;
  const due = nextDeadline(rest as Complaint, sla);
  return due ? { ...rest, due } : (rest as Complaint);
};

const RAISED: Record<Priority, Priority> = { LOW: "NORMAL", NORMAL: "HIGH", HIGH: "URGENT", URGENT: "URGENT" };
export const raisedPriority = (p: Priority) => RAISED[p];

/**
 * Escalates every deadline (other than the automatic close) the complaint missed by `asOf`: one
 * escalation each, the priority one step higher each time. Undefined when nothing is overdue.
 */
export function escalate(c: Complaint, asOf: string, sla: SlaSettings): { complaint: Complaint; missed: DeadlineKind[] } | undefined {
  let next = withDeadline(c, sla);
  const missed: DeadlineKind[] = [];
  while (next.due && next.due.kind !== "AUTO_CLOSE" && next.due.at <= asOf) {
    const kind = next.due.kind;
    missed.push(kind);
    next = withDeadline({ ...next, priority: raisedPriority(next.priority), escalations: [...(next.escalations ?? []), { kind, at: asOf, priorityBefore: next.priority }] }, sla);
  }
  return missed.length > 0 ? { complaint: { ...next, version: c.version + 1, updatedAt: asOf }, missed } : undefined;
}
