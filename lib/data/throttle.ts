// Failure counters for brute-force protection: one item per account or per client IP (a keyed
// hash), counting failures in a fixed window, with the lock's end once the limit is reached.

export const ENTITY = "THROTTLE";

export type ThrottleScope = "ACCOUNT" | "IP";

export interface CounterRecord {
  failures: number;
  windowStart: number;
  lockedUntil?: number;
}

export const throttleKey = (scope: ThrottleScope, id: string) => ({ PK: `THROTTLE#${scope}#${id}`, SK: "THROTTLE" });

export const fromCounterItem = (item: Record<string, unknown> | undefined): CounterRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as CounterRecord) : undefined;
