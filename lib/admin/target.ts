import { getUser, type UserRecord } from "#lib/data/user";
import { notFound } from "#lib/errors";

// The user a staff read of records is about: one GetItem, 404 when there is no such user (so an
// unknown id never reads as a user with no records).

export async function targetUser(userId: string): Promise<UserRecord> {
  const user = await getUser(userId);
  if (!user) throw notFound("No such user.");
  return user;
}
