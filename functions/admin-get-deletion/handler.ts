import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { getDeletionView } from "#lib/privacy/deletion-view";
import { route } from "./route";

export const handler = securedHandler(route, async ({ params }) => ok(await getDeletionView(params.userId)));
