import * as z from "zod/mini";
import { FACTOR_WEIGHTS } from "#lib/credit/model";
import { count, int, list, mapOf, nullable, object, oneOf, text, timestamp } from "#lib/http/contract/fields";
import { ENTITLEMENTS, RESTRICTIONS, TIERS } from "#lib/http/contract/identity";

/** GET /me/credit and a staff recompute (lib/credit/service.ts creditView). */
export const creditView = object({
  score: int(0, 1000),
  tier: oneOf(TIERS),
  factors: list(object({ name: oneOf(Object.keys(FACTOR_WEIGHTS) as [string, ...string[]]), score: int(0, 100), weight: z.number().check(z.gte(0), z.lte(1)) }), 10),
  reasons: list(text(200), 10),
  reasonCodes: list(object({ code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/), z.maxLength(64)), text: text(200) }), 10),
  entitlements: list(oneOf(ENTITLEMENTS), 8),
  restrictions: list(oneOf(RESTRICTIONS), 8),
  history: list(object({ at: timestamp, score: int(0, 1000), tier: oneOf(TIERS) }), 30),
  /** Lifetime totals of the behaviour events counted, by event type. */
  counters: mapOf(count),
  computedAt: nullable(timestamp),
});
