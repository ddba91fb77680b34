import { securedHandler } from "#lib/http/secured";
import { redeem } from "#lib/rewards/redeem";
import { route } from "./route";

// A retry with the same Idempotency-Key gets the first answer again, marked as such.
const REPLAYED: Record<string, string> = { "idempotent-replayed": "true" };

export const handler = securedHandler(route, async ({ auth, body, client }) => {
  const { balance, replayed } = await redeem(auth, body, client.idempotencyKey);
  return { status: 201, body: { balance }, headers: replayed ? REPLAYED : {} };
});
