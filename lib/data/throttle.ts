// Attempt counters (lib/limits/counter.ts): one item per limited key — an account's or a client
// IP's sign-in attempts, a client IP's registrations or code requests — counting the attempts of
// a fixed window, with the end of a lock once the window was filled with failures.

export const ENTITY = "THROTTLE";

export type ThrottleScope = "ACCOUNT" | "IP";

export interface CounterRecord {
  attempts: number;
  windowStart: number;
  lockedUntil?: number;
}

export const throttleKey = (scope: ThrottleScope, id: string) => ({ PK: `THROTTLE#${scope}#${id}`, SK: "THROTTLE" });
/** A per-client-IP limit of a route family (registrations, code requests, code checks). */
export const routeLimitKey = (route: string, ipHash: string) => ({ PK: `LIMIT#${route}#${ipHash}`, SK: "LIMIT" });
