import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { fieldsOf, shardOf, userPk } from "#lib/data/keys";

// Applications to become ADMIN: one item each (`ADMIN_APP#<id>`), listed by status over sharded
// GSI1 partitions; a slot item in the applicant's partition allows one pending application per user.

export type ApplicationStatus = "PENDING" | "APPROVED" | "REJECTED";

export interface AdminApplication {
  applicationId: string;
  userId: string;
  reason: string;
  status: ApplicationStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decisionReason?: string;
}

export const ENTITY = { application: "ADMIN_APPLICATION", slot: "ADMIN_APPLICATION_SLOT" } as const;

export const applicationKey = (applicationId: string) => ({ PK: `ADMIN_APP#${applicationId}`, SK: "ADMIN_APP" });
export const applicationSlotKey = (userId: string) => ({ PK: userPk(userId), SK: "ADMIN_APP_SLOT" });

/** The GSI1 prefix of a status listing (`ADMIN_APPS#<status>`, sharded). */
export const applicationsByStatusPrefix = (status: ApplicationStatus) => `ADMIN_APPS#${status}`;
export const applicationStatusIndex = (applicationId: string, status: ApplicationStatus, createdAt: string) => ({
  GSI1PK: `${applicationsByStatusPrefix(status)}#${shardOf(applicationId)}`,
  GSI1SK: `${createdAt}#${applicationId}`,
});

export const toApplicationItem = (a: AdminApplication) => ({
  ...applicationKey(a.applicationId),
  ...applicationStatusIndex(a.applicationId, a.status, a.createdAt),
  entity: ENTITY.application,
  ...a,
});

export const fromApplicationItem = (item: Record<string, unknown> | undefined): AdminApplication | undefined =>
  item?.entity === ENTITY.application ? (fieldsOf(item) as unknown as AdminApplication) : undefined;

export async function getApplication(applicationId: string): Promise<AdminApplication | undefined> {
  const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: applicationKey(applicationId), ConsistentRead: true }));
  return fromApplicationItem(out.Item);
}
