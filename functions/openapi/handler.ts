import { httpHandler, ok } from "#lib/http/handler";
import { openApiDocument } from "#lib/http/openapi";
import { route } from "./route";
import { routes } from "./routes";

let document: unknown;

export const handler = httpHandler(route, async () => {
  document ??= openApiDocument(routes, { title: "Sharing-platform user management API", version: "1.0.0" });
  return ok(document);
});
