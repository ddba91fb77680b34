import { randomUUID } from "node:crypto";
import type { Staff } from "#lib/admin/staff-change";
import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import {
  type AdminApplication,
  type ApplicationStatus,
  applicationKey,
  applicationSlotKey,
  applicationsByStatusPrefix,
  applicationStatusIndex,
  ENTITY,
  fromApplicationItem,
  getApplication,
  toApplicationItem,
} from "#lib/data/admin-application";
import { batchGet } from "#lib/data/batch";
import { shardedPage } from "#lib/data/query";
import { TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { fromUserItem, getUser, userKey, userLevelIndex } from "#lib/data/user";
import { conflict, forbidden, notFound } from "#lib/errors";
import { mirrorGroups } from "#lib/identity/group-mirror";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";

// ADMIN is never automatic: a user applies, and an admin other than the applicant decides. An
// approval makes the level ADMIN and adds the admin group in one transaction with the decision,
// its audit entry and the applicant's mail; the powers apply on the applicant's next request.

/** POST /me/admin-application: one pending application per user. */
export async function applyForAdmin(auth: Pick<AuthContext, "user" | "groups">, reason: string) {
  const { user } = auth;
  if (user.level === "ADMIN" || auth.groups.includes("admin")) throw conflict("ALREADY_ADMIN", "You are an admin already.");
  const application: AdminApplication = { applicationId: randomUUID(), userId: user.userId, reason, status: "PENDING", createdAt: new Date().toISOString() };
  try {
    await transactWrite({
      TransactItems: [
        { Put: { TableName: tableName(), Item: { ...applicationSlotKey(user.userId), entity: ENTITY.slot, applicationId: application.applicationId }, ConditionExpression: "attribute_not_exists(PK)" } },
        { Put: { TableName: tableName(), Item: toApplicationItem(application), ConditionExpression: "attribute_not_exists(PK)" } },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() === 0) throw conflict("APPLICATION_PENDING", "Your earlier application is still waiting for a decision.");
    throw error;
  }
  return { applicationId: application.applicationId, status: application.status, createdAt: application.createdAt };
}

/** GET /admin/admin-applications?status=: oldest first, with each applicant's username and level. */
export async function listApplications(status: ApplicationStatus, limit: number, cursor?: string) {
  const page = await shardedPage(applicationsByStatusPrefix(status), limit, cursor);
  const applications = page.items.flatMap((item) => fromApplicationItem(item) ?? []);
  const users = await batchGet(applications.map((a) => userKey(a.userId)));
  return {
    items: applications.map((a, i) => {
      const user = fromUserItem(users[i]);
      return { ...a, applicant: user ? { username: user.username, level: user.level, status: user.status } : null };
    }),
    nextCursor: page.nextCursor,
  };
}

/** POST /admin/admin-applications/{id}/decision: once, never by the applicant. */
export async function decideApplication(staff: Staff, applicationId: string, decision: "APPROVE" | "REJECT", reason: string, requestId: string) {
  const application = await getApplication(applicationId);
  if (!application) throw notFound("No such application.");
  if (application.userId === staff.userId) throw forbidden("SELF_DECISION", "Nobody decides their own application; another admin must.");
  if (application.status !== "PENDING") throw conflict("ALREADY_DECIDED", `The application was ${application.status.toLowerCase()} already.`);
  const user = await getUser(application.userId, true);
  if (!user || user.status === "DELETED") throw notFound("The applicant no longer exists.");

  const approve = decision === "APPROVE";
  const status: ApplicationStatus = approve ? "APPROVED" : "REJECTED";
  const at = new Date().toISOString();
  const groups = [...new Set([...(user.groups ?? []), "admin"])].sort();
  const TableName = tableName();
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName,
            Key: applicationKey(applicationId),
            UpdateExpression: "SET #status = :status, GSI1PK = :gsi1pk, decidedAt = :at, decidedBy = :by, decisionReason = :reason",
            ConditionExpression: "#status = :pending",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":status": status,
              ":gsi1pk": applicationStatusIndex(applicationId, status, application.createdAt).GSI1PK,
              ":at": at,
              ":by": staff.userId,
              ":reason": reason,
              ":pending": "PENDING",
            },
          },
        },
        { Delete: { TableName, Key: applicationSlotKey(user.userId), ConditionExpression: "applicationId = :id", ExpressionAttributeValues: { ":id": applicationId } } },
        ...(approve
          ? [
              {
                Update: {
                  TableName,
                  Key: userKey(user.userId),
                  UpdateExpression: "SET #level = :admin, #groups = :groups, GSI3PK = :gsi3pk, levelChangedAt = :at, updatedAt = :at REMOVE levelPin",
                  ConditionExpression: "attribute_exists(PK) AND updatedAt = :seen",
                  ExpressionAttributeNames: { "#level": "level", "#groups": "groups" },
                  ExpressionAttributeValues: { ":admin": "ADMIN", ":groups": groups, ":gsi3pk": userLevelIndex(user.userId, "ADMIN", user.createdAt).GSI3PK, ":at": at, ":seen": user.updatedAt },
                },
              },
            ]
          : []),
        auditPut({
          actorId: staff.userId,
          action: approve ? "ADMIN_APPLICATION_APPROVED" : "ADMIN_APPLICATION_REJECTED",
          targetUserId: user.userId,
          subject: applicationId,
          requestId,
          reason,
          details: { decision, levelBefore: user.level },
        }),
        await queueMessage(user, preferredChannel(user), "ADMIN_APPLICATION_DECIDED", { decision: status, reason }),
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionCancelled) || error.failedAt() === -1) throw error;
    throw error.failedAt() === 0 ? conflict("ALREADY_DECIDED", "The application was decided by someone else meanwhile.") : conflict("CHANGED_MEANWHILE", "The applicant changed meanwhile; try again.");
  }
  if (approve) await mirrorGroups({ userId: user.userId, groups, cognitoGroups: user.cognitoGroups });
  return { applicationId, status, decidedAt: at, decidedBy: staff.userId };
}
