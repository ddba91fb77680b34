import { AsyncLocalStorage } from "node:async_hooks";

// What a request's own rate limits left its caller. Each counter claim that names a policy
// (lib/limits/counter.ts) reports here; the HTTP layer collects the reports of one request and
// sends them as the RateLimit and RateLimit-Policy headers (lib/http/rate-limit.ts), so no domain
// code knows about headers. Outside a collecting request (jobs, scripts) reports go nowhere.

export interface QuotaUsage {
  /** The policy's name, as the contract of each route declares it. */
  policy: string;
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until more quota is available. */
  resetSeconds: number;
}

const collected = new AsyncLocalStorage<Map<string, QuotaUsage>>();

/** Runs `work` with `into` collecting the quota reports of every claim it makes. */
export const collectQuotaUsage = <T>(into: Map<string, QuotaUsage>, work: () => Promise<T>): Promise<T> => collected.run(into, work);

/** The state of a policy after a claim (the latest report of a policy wins). */
export function reportQuota(usage: QuotaUsage): void {
  collected.getStore()?.set(usage.policy, usage);
}

/** A claim of the policy was given back (a success that does not count). */
export function reportGivenBack(policy: string): void {
  const usage = collected.getStore()?.get(policy);
  if (usage) usage.remaining = Math.min(usage.quota, usage.remaining + 1);
}
