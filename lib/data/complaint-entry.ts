import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { type Complaint, complaintPk, fromComplaintItem } from "#lib/data/complaint";
import { fieldsOf } from "#lib/data/keys";

// The timeline of a complaint: one entry per write of the complaint (filing, each transition, each
// message, an escalation, the rating), in the complaint's partition. An entry's number is the
// complaint version its write produced, so the order is the order of the writes (no clock
// involved) and the complaint's version condition also guards the entry's key.

export type EntryKind = "FILED" | "TRANSITION" | "MESSAGE" | "ESCALATED" | "SATISFACTION";
export type ActorRole = "COMPLAINANT" | "RESPONDENT" | "STAFF" | "SYSTEM";

export interface ComplaintEntry {
  complaintId: string;
  seq: number;
  at: string;
  kind: EntryKind;
  actorRole: ActorRole;
  /** Staff and the parties; absent for the nightly job. Never shown to the other party. */
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Staff's note on a transition: staff eyes only. */
  note?: string;
  /** A message's text. */
  body?: string;
  details?: Record<string, string | number>;
}

export const ENTITY = "COMPLAINT_ENTRY";
const PREFIX = "ENTRY#";

export const entryKey = (complaintId: string, seq: number) => ({ PK: complaintPk(complaintId), SK: `${PREFIX}${String(seq).padStart(6, "0")}` });

export const toEntryItem = (e: ComplaintEntry) => ({ ...entryKey(e.complaintId, e.seq), entity: ENTITY, ...e });

export const fromEntryItem = (item: Record<string, unknown>): ComplaintEntry | undefined =>
  item.entity === ENTITY ? (fieldsOf(item) as unknown as ComplaintEntry) : undefined;

/** The complaint and its whole timeline, oldest entry first: one consistent Query of the complaint's partition. */
export async function readCase(complaintId: string): Promise<{ complaint?: Complaint; entries: ComplaintEntry[] }> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodb.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": complaintPk(complaintId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const complaint = items.map((item) => fromComplaintItem(item)).find((c) => c !== undefined);
  return { complaint, entries: items.flatMap((item) => fromEntryItem(item) ?? []) };
}
