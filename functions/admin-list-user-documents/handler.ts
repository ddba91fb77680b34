import { documentsForStaff } from "#lib/admin/user-documents";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params }) => ok(await documentsForStaff(params.userId)));
