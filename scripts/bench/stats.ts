/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export const median = (samples: number[]) => percentile(samples, 50);

export const mean = (samples: number[]) => (samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN);

/** Rounds for display and JSON (ms and capacity units do not need more). */
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
