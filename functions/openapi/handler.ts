import { httpHandler, ok } from "#lib/http/handler";
import { apiDocument } from "./document";
import { route } from "./route";

let document: unknown;

export const handler = httpHandler(route, async () => {
  document ??= apiDocument();
  return ok(document);
});
