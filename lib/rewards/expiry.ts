// Expiry arithmetic, pure. Points credited in a month expire when the same month a year later has
// ended (credited in May 2026: gone at 2027-06-01T00:00Z), so each user holds at most 13 monthly
// sums and wakes the nightly job at most once a month. Redemptions and expiries consume the
// oldest points first (FIFO), so the balance is always made of the NEWEST credits: whatever part
// of it exceeds the points credited in months that have not expired yet must be older, and
// expires. That needs no lots to be updated on a redemption: only the balance and the sums.

export type MonthlySums = Record<string, number>;

export const monthOf = (iso: string) => iso.slice(0, 7);

/** When points credited in `month` (YYYY-MM) expire: the first instant of month + 13. */
export function expiryOf(month: string): string {
  const [year = 1970, m = 1] = month.split("-").map(Number);
  return new Date(Date.UTC(year, m - 1 + 13, 1)).toISOString();
}

const total = (sums: MonthlySums) => Object.values(sums).reduce((a, b) => a + b, 0);

/** The first instant some of `balance` expires, or undefined when none of it can. */
export function nextExpiryOf(balance: number, sums: MonthlySums): string | undefined {
  if (balance <= 0) return undefined;
  const months = Object.keys(sums)
    .filter((m) => (sums[m] ?? 0) > 0)
    .sort();
  let later = total(sums);
  for (const month of months) {
    later -= sums[month] ?? 0;
    // The balance reaches back into this month's credits: they are the first to expire.
    if (balance > later) return expiryOf(month);
  }
  return undefined;
}

export interface ExpiryPlan {
  /** Points to expire now. */
  expire: number;
  /** The monthly sums still to come. */
  sums: MonthlySums;
  nextExpiryAt?: string;
}

/** What expires at `asOf` of a balance, given the points credited per month. */
export function planExpiry(balance: number, sums: MonthlySums, asOf: string): ExpiryPlan {
  const live = Object.fromEntries(Object.entries(sums).filter(([month, points]) => points > 0 && expiryOf(month) > asOf));
  const expire = Math.max(0, balance - total(live));
  const nextExpiryAt = nextExpiryOf(balance - expire, live);
  return { expire, sums: live, ...(nextExpiryAt ? { nextExpiryAt } : {}) };
}

/** The sums after crediting `points` at `at`. */
export const withCredit = (sums: MonthlySums, points: number, at: string): MonthlySums => ({ ...sums, [monthOf(at)]: (sums[monthOf(at)] ?? 0) + points });
