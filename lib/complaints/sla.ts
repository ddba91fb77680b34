import { tableName } from "#lib/clients/dynamodb";
import { advance } from "#lib/complaints/advance";
import { escalate } from "#lib/complaints/deadlines";
import { type Actor, check } from "#lib/complaints/machine";
import { noticeItems, transitionNotices } from "#lib/complaints/notices";
import { retrying, saveChange, sla } from "#lib/complaints/write";
import { complaintDuePk, getComplaint } from "#lib/data/complaint";
import { STATUS_SHARDS } from "#lib/data/keys";
import { queryAllShards } from "#lib/data/query";
import { logger } from "#lib/logger";

// The nightly step `complaint-sla`: every complaint whose next deadline has passed, found in the
// SLA index (GSI2 `COMPLAINT_DUE#<shard>`, sort key = the deadline; 16 Queries `GSI2SK <= asOf`,
// never a scan). A missed response or resolution deadline is escalated (marked, priority raised,
// a timeline entry); a complaint RESOLVED for 7 days is closed, and the complainant told. Each is
// a version-checked write, so a second run, or a run taken over after its holder died, finds
// nothing more to do for a complaint already handled: its deadline has moved on.

const SYSTEM: Actor = { roles: ["SYSTEM"] };
const LANES = 8;

type Result = "escalated" | "closed" | "skipped";

/** Ids of the complaints due by `asOf` (the index holds keys and a few projected attributes; the key is enough). */
export async function dueComplaintIds(asOf: string): Promise<string[]> {
  const items = await queryAllShards(STATUS_SHARDS, (shard) => ({
    TableName: tableName(),
    IndexName: "GSI2",
    KeyConditionExpression: "GSI2PK = :pk AND GSI2SK <= :asOf",
    ExpressionAttributeValues: { ":pk": complaintDuePk(shard), ":asOf": asOf },
    ProjectionExpression: "PK",
  }));
  return items.map((item) => String(item.PK).slice("COMPLAINT#".length));
}

/** Handles one due complaint as it is now (read consistently; it may have moved on since the index was read). */
export async function settleDue(complaintId: string, asOf: string): Promise<Result> {
  return retrying(async () => {
    const before = await getComplaint(complaintId);
    if (!before?.due || before.due.at > asOf) return "skipped";
    if (before.due.kind === "AUTO_CLOSE") {
      const verdict = check(before, "CLOSE", SYSTEM);
      if (!verdict.ok) return "skipped";
      const after = advance(before, verdict.transition, {}, SYSTEM, asOf, sla());
      await saveChange(
        before,
        after,
        { at: asOf, kind: "TRANSITION", actorRole: "SYSTEM", action: "CLOSE", from: before.status, to: after.status, details: { reason: "AUTO_CLOSE" } },
        await noticeItems(after, transitionNotices(before, after, "CLOSE")),
      );
      return "closed";
    }
    const escalation = escalate(before, asOf, sla());
    if (!escalation) return "skipped";
    const { complaint: after, missed } = escalation;
    await saveChange(before, after, {
      at: asOf,
      kind: "ESCALATED",
      actorRole: "SYSTEM",
      details: { missed: missed.join(","), priorityBefore: before.priority, priorityAfter: after.priority },
    });
    return "escalated";
  });
}

export async function settleOverdueComplaints(asOf: string): Promise<Record<string, number>> {
  const ids = await dueComplaintIds(asOf);
  const counts = { due: ids.length, escalated: 0, closed: 0, skipped: 0, failed: 0 };
  for (let i = 0; i < ids.length; i += LANES) {
    await Promise.all(
      ids.slice(i, i + LANES).map(async (id) => {
        try {
          counts[await settleDue(id, asOf)]++;
        } catch (error) {
          counts.failed++;
          logger.warn("complaint not settled; the next run retries it", { complaintId: id, errorName: (error as Error).name });
        }
      }),
    );
  }
  // A failed step alarms; what failed is still due, so the next run picks it up.
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.due} due complaint(s) failed: ${JSON.stringify(counts)}`);
  return counts;
}
