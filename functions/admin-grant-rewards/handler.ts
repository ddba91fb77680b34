import { securedHandler } from "#lib/http/secured";
import { grantRewards } from "#lib/rewards/grant";
import type { AchievementId } from "#lib/rewards/rules";
import { route } from "./route";

// A retry with the same Idempotency-Key gets the first answer again, marked as such.
const REPLAYED: Record<string, string> = { "idempotent-replayed": "true" };

export const handler = securedHandler(route, async ({ auth, body, client }) => {
  const request = { ...body, achievementId: body.achievementId as AchievementId | undefined };
  const { grant, replayed } = await grantRewards(auth, request, client.idempotencyKey, client.requestId);
  return { status: 201, body: grant, headers: replayed ? REPLAYED : {} };
});
