import { httpHandler, ok } from "#lib/http/handler";
import { openApiDocument } from "#lib/http/openapi";
import { routes } from "./routes";
import { route } from "./route";

let document: unknown;

export const handler = httpHandler(route, async () => {
  document ??= openApiDocument(routes, { title: "Sharing-platform user management API", version: "1.0.0" });
  return ok(document);
});
