import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import type { Category, Channel, ComplaintStatus, Outcome, Priority } from "#lib/data/complaint-values";
import { fieldsOf, shardOf, ttlAfter, userPk } from "#lib/data/keys";

// Complaints: one partition per complaint (`COMPLAINT#<id>`) holding the complaint item and its
// timeline entries (lib/data/complaint-entry.ts), so one Query reads a case. Every write puts the
// whole item, conditional on the `version` it read, and the derived index attributes come from
// the record here, so they never drift: GSI1 is the staff queue of a status (sharded; sort key =
// priority rank, then age), GSI2 the SLA index (sparse, sharded; sort key = the next deadline).
// The user partitions hold a link per complaint filed or answered, for "my complaints".

export type { Category, Channel, ComplaintStatus, Outcome, Priority };
export type DeadlineKind = "FIRST_RESPONSE" | "RESOLUTION" | "AUTO_CLOSE";

/** Queue order: the most urgent first, then the oldest. */
export const PRIORITY_RANK: Record<Priority, number> = { URGENT: 0, HIGH: 1, NORMAL: 2, LOW: 3 };

export interface Complaint {
  complaintId: string;
  ticketNo: string;
  complainantId: string;
  /** Set for a dispute with another user (`againstUserId`). */
  respondentId?: string;
  category: Category;
  channel: Channel;
  subject: string;
  description: string;
  orderRef?: string;
  status: ComplaintStatus;
  priority: Priority;
  /** Bumped by every write; each write is conditional on the version it read. Also the number of timeline entries. */
  version: number;
  createdAt: string;
  updatedAt: string;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  firstResponseAt?: string;
  /** The next SLA deadline, indexed in GSI2 (none once CLOSED or REJECTED). */
  due?: { kind: DeadlineKind; at: string };
  /** Deadlines missed, each escalated once by the nightly job. */
  escalations?: { kind: DeadlineKind; at: string; priorityBefore: Priority }[];
  mediationStartedAt?: string;
  respondentAnsweredAt?: string;
  proposal?: { resolution: string; outcome: Outcome; proposedBy: string; proposedAt: string };
  approvedBy?: string;
  approvedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  closedBy?: "STAFF" | "COMPLAINANT" | "SYSTEM";
  rejectedReason?: string;
  satisfaction?: { rating: number; comment?: string; at: string };
  /** The behaviour event an upheld outcome became (recorded before the RESOLVE write). */
  creditEvent?: { eventId: string; result: "RECORDED" | "DUPLICATE" | "NO_SUCH_USER" };
}

export const ENTITY = { complaint: "COMPLAINT", link: "COMPLAINT_LINK", tickets: "COMPLAINT_TICKETS", ticket: "COMPLAINT_TICKET" } as const;

export const complaintPk = (complaintId: string) => `COMPLAINT#${complaintId}`;
export const complaintKey = (complaintId: string) => ({ PK: complaintPk(complaintId), SK: "COMPLAINT" });

/** The GSI1 prefix of a status queue (`COMPLAINTS#<status>`, sharded). */
export const complaintQueuePrefix = (status: ComplaintStatus) => `COMPLAINTS#${status}`;
export const complaintQueueIndex = (c: Pick<Complaint, "complaintId" | "status" | "priority" | "createdAt">) => ({
  GSI1PK: `${complaintQueuePrefix(c.status)}#${shardOf(c.complaintId)}`,
  GSI1SK: `${PRIORITY_RANK[c.priority]}#${c.createdAt}#${c.complaintId}`,
});

/** The SLA index: GSI2 `COMPLAINT_DUE#<shard>`, sorted by the deadline, so the nightly job reads only what is due. */
export const complaintDuePk = (shard: number) => `COMPLAINT_DUE#${shard}`;
export const complaintDueIndex = (complaintId: string, dueAt: string) => ({ GSI2PK: complaintDuePk(shardOf(complaintId)), GSI2SK: `${dueAt}#${complaintId}` });

export const toComplaintItem = (c: Complaint) => ({
  ...complaintKey(c.complaintId),
  ...complaintQueueIndex(c),
  ...(c.due ? complaintDueIndex(c.complaintId, c.due.at) : {}),
  entity: ENTITY.complaint,
  ...c,
});

export const fromComplaintItem = (item: Record<string, unknown> | undefined): Complaint | undefined =>
  item?.entity === ENTITY.complaint ? (fieldsOf(item) as unknown as Complaint) : undefined;

export async function getComplaint(complaintId: string): Promise<Complaint | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: complaintKey(complaintId), ConsistentRead: true }));
  return fromComplaintItem(out.Item);
}

// Links in the users' partitions: `COMPLAINT#FILED#…` for the complainant (written when filed),
// `COMPLAINT#AGAINST#…` for the respondent (written when mediation brings them in).
export type LinkRole = "FILED" | "AGAINST";
export const complaintLinkPrefix = (role: LinkRole) => `COMPLAINT#${role}#`;
export const complaintLinkKey = (userId: string, role: LinkRole, createdAt: string, complaintId: string) => ({
  PK: userPk(userId),
  SK: `${complaintLinkPrefix(role)}${createdAt}#${complaintId}`,
});
export const toComplaintLinkItem = (userId: string, role: LinkRole, c: Pick<Complaint, "complaintId" | "createdAt">) => ({
  ...complaintLinkKey(userId, role, c.createdAt, c.complaintId),
  entity: ENTITY.link,
  complaintId: c.complaintId,
  role,
});

/** A user's complaint counter for the daily limit (lib/limits/counter.ts claims it), in the user's partition. */
export const complaintLimitKey = (userId: string) => ({ PK: userPk(userId), SK: "LIMIT#COMPLAINTS" });

// Ticket numbers `C-<yyyymmdd>-<nnnn>`: a counter item per UTC day, incremented atomically, so
// numbers are unique, short and sort by date (then by filing order within a day, up to 9999).
const ticketCounterKey = (day: string) => ({ PK: `COMPLAINT_TICKETS#${day}`, SK: "COUNTER" });

export async function nextTicketNumber(now = new Date()): Promise<string> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  const out = await dynamodb.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: ticketCounterKey(day),
      UpdateExpression: "SET entity = :entity, #ttl = :ttl ADD issued :one",
      ExpressionAttributeNames: { "#ttl": "ttl" },
      ExpressionAttributeValues: { ":entity": ENTITY.tickets, ":ttl": ttlAfter(3 * 24 * 3600, now.getTime()), ":one": 1 },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return formatTicketNumber(day, Number(out.Attributes?.issued));
}

export const formatTicketNumber = (day: string, n: number) => `C-${day}-${String(n).padStart(4, "0")}`;

/** The ticket number's lookup item, put with the complaint only if absent: a guard of its uniqueness, and how staff find a ticket quoted on the phone. */
export const ticketKey = (ticketNo: string) => ({ PK: `COMPLAINT_TICKET#${ticketNo}`, SK: "TICKET" });
export const toTicketItem = (c: Pick<Complaint, "ticketNo" | "complaintId">) => ({ ...ticketKey(c.ticketNo), entity: ENTITY.ticket, complaintId: c.complaintId });

export async function findByTicket(ticketNo: string): Promise<Complaint | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: ticketKey(ticketNo) }));
  return typeof out.Item?.complaintId === "string" ? getComplaint(out.Item.complaintId) : undefined;
}
