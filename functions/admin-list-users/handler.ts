import { findUsers, type UserQuery } from "#lib/admin/users";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, query: { limit, cursor, ...by }, client }) =>
  ok(await findUsers(auth, by as UserQuery, limit, cursor, client.requestId)),
);
