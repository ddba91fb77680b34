import { reviewDetail } from "#lib/documents/review-detail";
import { ok } from "#lib/http/handler";
import { securedHandler } from "#lib/http/secured";
import { route } from "./route";

export const handler = securedHandler(route, async ({ auth, params, client }) => ok(await reviewDetail(auth, params.submissionId, client.requestId)));
