import { tableName } from "#lib/clients/dynamodb";
import { getGrant, grantKey, grantStatusIndex, type RewardGrant } from "#lib/data/reward-grant";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { conflict, forbidden, notFound, serviceUnavailable } from "#lib/errors";
import { type GrantResult, grantView, payoutWrites, readTarget, type Staff, throwIfRefused } from "#lib/rewards/grant";
import { jitter, MAX_ATTEMPTS } from "#lib/rewards/ledger-writes";

// POST /admin/rewards/grants/{grantId}/approve: four eyes. A grant above the threshold is paid
// only when a staff member other than its requester (and other than its beneficiary) approves it:
// the grant's status change (conditional on PENDING_APPROVAL), the entry, the balance, the audit
// entry and the mail are one transaction, so of two approvers racing exactly one pays it.

export async function approveGrant(staff: Staff, grantId: string, requestId: string): Promise<GrantResult> {
  for (let attempt = 1; ; attempt++) {
    const grant = await getGrant(grantId);
    if (!grant) throw notFound("No such grant.");
    if (grant.requestedBy === staff.userId) throw forbidden("SELF_APPROVAL", "A grant needs a second pair of eyes: another staff member must approve it.");
    if (grant.userId === staff.userId) throw forbidden("SELF_GRANT", "Staff cannot approve points for themselves.");
    if (grant.status !== "PENDING_APPROVAL") {
      if (grant.approvedBy === staff.userId) return { grant: grantView(grant), replayed: true }; // a retried approval
      throw conflict("ALREADY_DECIDED", "The grant was paid out already.");
    }
    const { user, account } = await readTarget(grant);
    const approved: RewardGrant = { ...grant, status: "GRANTED", approvedBy: staff.userId, approvedAt: new Date().toISOString() };
    try {
      await transactWrite({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: grantKey(grantId),
              UpdateExpression: "SET #status = :granted, approvedBy = :by, approvedAt = :at, GSI1PK = :gsi1pk",
              ConditionExpression: "#status = :pending",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":granted": approved.status,
                ":by": staff.userId,
                ":at": approved.approvedAt,
                ":gsi1pk": grantStatusIndex(grantId, approved.status, grant.createdAt).GSI1PK,
                ":pending": "PENDING_APPROVAL",
              },
            },
          },
          ...(await payoutWrites(approved, user, account, { actorId: staff.userId, action: "REWARD_GRANT_APPROVED", requestId })),
        ],
      });
      return { grant: grantView(approved), replayed: false };
    } catch (error) {
      if (!(error instanceof TransactionCancelled)) throw error;
      // 0: decided meanwhile (read again: ours, or 409); a lost race on the account: again.
      if (error.failedAt() !== 0) await throwIfRefused(error, approved);
      if (attempt >= MAX_ATTEMPTS) throw serviceUnavailable("Too many changes to this user's rewards at once; try again.");
      await jitter(attempt);
    }
  }
}
