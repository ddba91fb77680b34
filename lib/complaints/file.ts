import { randomUUID } from "node:crypto";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { deadlinesFrom, withDeadline } from "#lib/complaints/deadlines";
import { claimForToday, dailyComplaintLimit } from "#lib/complaints/limits";
import { sla } from "#lib/complaints/write";
import { config } from "#lib/config";
import {
  type Category,
  type Channel,
  type Complaint,
  complaintLimitKey,
  nextTicketNumber,
  type Priority,
  toComplaintItem,
  toComplaintLinkItem,
  toTicketItem,
} from "#lib/data/complaint";
import { toEntryItem } from "#lib/data/complaint-entry";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { userKey } from "#lib/data/user";
import { badRequest } from "#lib/errors";
import { refund } from "#lib/limits/counter";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// POST /complaints: a complaint is acknowledged at once. The daily allowance is claimed first,
// then a ticket number is drawn; the complaint, its first timeline entry, the complainant's link,
// the ticket's lookup item and the acknowledgement mail are one transaction, with a check that the
// other party of a dispute exists. A number drawn for a filing that then fails is simply never used.

export interface ComplaintInput {
  category: Category;
  channel: Channel;
  subject: string;
  description: string;
  againstUserId?: string;
  orderRef?: string;
}

type Filer = Pick<AuthContext, "userId" | "user" | "permissions">;

/** Safety complaints, and users with the priority-service entitlement (EXCELLENT credit), start HIGH. */
export const initialPriority = (category: Category, permissions: readonly string[]): Priority =>
  category === "SAFETY" || permissions.includes("service:priority") ? "HIGH" : "NORMAL";

export async function fileComplaint(filer: Filer, input: ComplaintInput) {
  if (input.againstUserId === filer.userId) throw badRequest("SELF_COMPLAINT", "A complaint cannot be against yourself.");
  const limits = config().complaints;
  const claimed = await claimForToday(complaintLimitKey(filer.userId), dailyComplaintLimit(filer.user.creditTier, limits), "complaints", "complaints");
  try {
    const now = new Date();
    const at = now.toISOString();
    const complaint: Complaint = withDeadline(
      {
        complaintId: randomUUID(),
        ticketNo: await nextTicketNumber(now),
        complainantId: filer.userId,
        ...(input.againstUserId ? { respondentId: input.againstUserId } : {}),
        category: input.category,
        channel: input.channel,
        subject: input.subject,
        description: input.description,
        ...(input.orderRef ? { orderRef: input.orderRef } : {}),
        status: "RECEIVED",
        priority: initialPriority(input.category, filer.permissions),
        version: 1,
        createdAt: at,
        updatedAt: at,
        ...deadlinesFrom(at, sla()),
      },
      sla(),
    );
    const TableName = tableName();
    await transactWrite({
      TransactItems: [
        ...(complaint.respondentId
          ? [
              {
                ConditionCheck: {
                  TableName,
                  Key: userKey(complaint.respondentId),
                  ConditionExpression: "attribute_exists(PK) AND #status <> :deleted",
                  ExpressionAttributeNames: { "#status": "status" },
                  ExpressionAttributeValues: { ":deleted": "DELETED" },
                },
              },
            ]
          : []),
        { Put: { TableName, Item: toComplaintItem(complaint), ConditionExpression: "attribute_not_exists(PK)" } },
        {
          Put: {
            TableName,
            Item: toEntryItem({ complaintId: complaint.complaintId, seq: 1, at, kind: "FILED", actorRole: "COMPLAINANT", actorId: filer.userId, to: "RECEIVED" }),
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        { Put: { TableName, Item: toComplaintLinkItem(filer.userId, "FILED", complaint) } },
        { Put: { TableName, Item: toTicketItem(complaint), ConditionExpression: "attribute_not_exists(PK)" } },
        await queueMessage(filer.user, preferredChannel(filer.user), "COMPLAINT_RECEIVED", {
          ticketNo: complaint.ticketNo,
          firstResponseHours: String(limits.firstResponseHours),
          resolutionDays: String(limits.resolutionDays),
        }),
      ],
    });
    return {
      complaintId: complaint.complaintId,
      ticketNo: complaint.ticketNo,
      status: complaint.status,
      priority: complaint.priority,
      createdAt: at,
      firstResponseDueAt: complaint.firstResponseDueAt,
      resolutionDueAt: complaint.resolutionDueAt,
    };
  } catch (error) {
    await refund(claimed).catch(() => undefined); // nothing was filed: the allowance is not used up
    if (error instanceof TransactionCancelled && respondentMissing(error, input)) {
      throw badRequest("UNKNOWN_USER", "againstUserId names no user of the platform.");
    }
    throw error;
  }
}

/** The dispute check (the first item) failed: the other party does not exist. */
const respondentMissing = (error: TransactionCancelled, input: ComplaintInput) => input.againstUserId !== undefined && error.failedAt() === 0;
