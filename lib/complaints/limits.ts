import type { Key } from "#lib/data/batch";
import { tooManyRequests } from "#lib/errors";
import { type Claim, claim, LimitReached } from "#lib/limits/counter";

// Per-user daily limits (complaints, feedback): a claim on the user's own counter before the work
// (lib/limits/counter.ts: a conditional update, so parallel requests cannot overshoot), 429
// RATE_LIMITED with Retry-After once the day's window is full. A request that fails before
// anything is written gives its claim back.

export const DAY_SECONDS = 24 * 3600;

/** The day's complaint allowance: lower under POOR credit (its restrictions). */
export const dailyComplaintLimit = (creditTier: string | undefined, limits: { perDay: number; perDayPoor: number }) =>
  creditTier === "POOR" ? Math.min(limits.perDayPoor, limits.perDay) : limits.perDay;

/** Claims one of the day's `max`; `policy` names the allowance in the RateLimit headers. */
export async function claimForToday(key: Key, max: number, what: string, policy: string): Promise<Claim> {
  try {
    return await claim(key, { max, windowSeconds: DAY_SECONDS, policy });
  } catch (error) {
    if (!(error instanceof LimitReached)) throw error;
    throw tooManyRequests("RATE_LIMITED", `You can send at most ${max} ${what} a day; try again later.`, error.retryAfterSeconds, { limit: max });
  }
}
