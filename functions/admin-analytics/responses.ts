import * as z from "zod/mini";
import { LIFECYCLE_STAGES, RATINGS } from "#lib/analytics/counts";
import { defineContract } from "#lib/http/contract/define";
import { count, date, list, nullable, object, timestamp } from "#lib/http/contract/fields";
import { LEVELS, TIERS } from "#lib/http/contract/identity";
import { route } from "./route";

/** A count for each of `keys` (every key is always there). */
const countsBy = (keys: readonly (string | number)[]) => object(Object.fromEntries(keys.map((k) => [String(k), count])));

export const contract = defineContract(route, {
  200: object({
    users: count,
    byLevel: countsBy(LEVELS),
    byTier: countsBy(TIERS),
    byLifecycle: countsBy(LIFECYCLE_STAGES),
    churnRisk: count,
    registrationsPerDay: list(object({ date, count }), 30),
    feedbackRatings: object({ counts: countsBy(RATINGS), total: count, average: nullable(z.number().check(z.gte(1), z.lte(5))) }),
    generatedAt: timestamp,
  }),
});
