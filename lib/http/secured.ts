import { authenticate } from "#lib/auth/authenticate";
import { httpHandler, type Reply, type Request } from "#lib/http/handler";
import type { RouteSpec } from "#lib/http/route";

/** httpHandler for routes that need a signed-in user or staff: every such route goes through authenticate(). */
export const securedHandler = <S extends RouteSpec>(spec: S, run: (request: Request<S>) => Promise<Reply>) =>
  httpHandler(spec, run, authenticate);
