import { auditPut } from "#lib/audit/trail";
import type { AuthContext } from "#lib/auth/authenticate";
import { tableName } from "#lib/clients/dynamodb";
import { TransactionCancelled, type TransactItem, transactWrite } from "#lib/data/transactions";
import { getUser, type UserRecord, userKey } from "#lib/data/user";
import { conflict, forbidden, notFound } from "#lib/errors";
import { preferredChannel } from "#lib/notify/channels";
import { queueMessage } from "#lib/notify/outbox";
import type { ParamsOf, TemplateName } from "#lib/notify/templates";

// The one way staff change another user's account (status, level, permissions, groups): never
// their own; the change, its audit entry (actor, target, reason) and the mail to the user are one
// transaction, conditional on the user not having changed since it was read (no lost update).

export type Staff = Pick<AuthContext, "userId" | "permissions">;

export interface StaffChange {
  /** Attributes to set on the user item. */
  set: Record<string, unknown>;
  remove?: string[];
  /** The audit action (UPPER_SNAKE) and what changed (no PII). */
  action: string;
  details: Record<string, string | number | boolean>;
  notice?: { [T in TemplateName]: { template: T; params: ParamsOf<T> } }[TemplateName];
  /** Written in the same transaction (a revocation mark...). */
  alongside?: TransactItem[];
}

export interface ChangeRequest {
  staff: Staff;
  targetUserId: string;
  reason: string;
  requestId: string;
}

const selfChange = () => forbidden("SELF_CHANGE", "Staff cannot change their own status, level, groups or permissions; ask another admin.");

/** Reads the target (consistently), refuses self-changes and deleted users. */
export async function targetOf(staff: Staff, targetUserId: string): Promise<UserRecord> {
  if (staff.userId === targetUserId) throw selfChange();
  const user = await getUser(targetUserId, true);
  if (!user || user.status === "DELETED" || user.status === "DELETING") throw notFound("No such user.");
  return user;
}

/**
 * Applies `plan(user)` to the target. A plan answering undefined means "already so": nothing is
 * written or audited, and the user is returned as it is (a retried request is harmless).
 */
export async function changeUser(request: ChangeRequest, plan: (user: UserRecord) => StaffChange | undefined): Promise<UserRecord> {
  const user = await targetOf(request.staff, request.targetUserId);
  const change = plan(user);
  if (!change) return user;

  const updatedAt = new Date().toISOString();
  const set = { ...change.set, updatedAt };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":seen": user.updatedAt };
  const assignments = Object.entries(set).map(([field, value], i) => {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removals = (change.remove ?? []).map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  names["#updatedAt"] = "updatedAt";

  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: userKey(user.userId),
        UpdateExpression: `SET ${assignments.join(", ")}${removals.length ? ` REMOVE ${removals.join(", ")}` : ""}`,
        ConditionExpression: "attribute_exists(PK) AND #updatedAt = :seen",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    auditPut({
      actorId: request.staff.userId,
      action: change.action,
      targetUserId: user.userId,
      requestId: request.requestId,
      reason: request.reason,
      details: change.details,
    }),
    ...(change.notice ? [await queueMessage(user, preferredChannel(user), change.notice.template, change.notice.params as never)] : []),
    ...(change.alongside ?? []),
  ];
  try {
    await transactWrite({ TransactItems: items });
  } catch (error) {
    if (error instanceof TransactionCancelled && error.failedAt() !== -1) {
      throw conflict("CHANGED_MEANWHILE", "The user was changed by someone else meanwhile; read it again and retry.");
    }
    throw error;
  }
  const next = { ...user, ...set } as UserRecord & Record<string, unknown>;
  for (const field of change.remove ?? []) delete next[field];
  return next;
}
