import { tableName } from "#lib/clients/dynamodb";
import type { SlaSettings } from "#lib/complaints/deadlines";
import { config } from "#lib/config";
import { type Complaint, toComplaintItem } from "#lib/data/complaint";
import { type ComplaintEntry, toEntryItem } from "#lib/data/complaint-entry";
import { TransactionCancelled, type TransactItem, transactWrite } from "#lib/data/transactions";
import { AppError, conflict } from "#lib/errors";

// The one way a complaint changes after it was filed: the whole item is put again only if its
// version is still the one that was read (optimistic concurrency: of two concurrent writes one
// wins, the other is a 409), together with the timeline entry of the change and whatever goes
// with it (the audit entry, the mails through the outbox, a link) in one transaction.

export const sla = (): SlaSettings => config().complaints;

export const changedMeanwhile = () => conflict("CHANGED_MEANWHILE", "The complaint changed meanwhile; read it again and retry.");

export type NewEntry = Omit<ComplaintEntry, "complaintId" | "seq">;

export async function saveChange(before: Complaint, after: Complaint, entry: NewEntry, alongside: TransactItem[] = []): Promise<void> {
  if (after.version !== before.version + 1) throw new Error("a complaint write must raise the version by one");
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: toComplaintItem(after),
            ConditionExpression: "#version = :seen",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":seen": before.version },
          },
        },
        { Put: { TableName: tableName(), Item: toEntryItem({ ...entry, complaintId: after.complaintId, seq: after.version }), ConditionExpression: "attribute_not_exists(PK)" } },
        ...alongside,
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && (error.failedAt() === 0 || error.failedAt() === 1)) throw changedMeanwhile();
    throw error;
  }
}

/**
 * Runs read-check-write again when another write came first, for changes that do not depend on
 * what the caller saw (a message, a rating, the nightly job); a staff transition is not retried:
 * its author decided on the version they read.
 */
export async function retrying<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AppError && error.code === "CHANGED_MEANWHILE") || i >= tries) throw error;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 30));
    }
  }
}
