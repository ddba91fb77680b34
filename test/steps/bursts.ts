// Helpers for attacks that race requests against each other.

/** The statuses of a burst, counted: { 401: 5, 429: 25 }. */
export const tally = (responses: { status: number }[]) =>
  responses.reduce<Record<number, number>>((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {});

/** A loopback address of its own (per-IP limits cannot mix with other tests). */
export const freshIp = () => `127.${1 + Math.floor(Math.random() * 253)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 253)}`;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Milliseconds one request takes, end to end. */
export async function timed<T>(request: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await request();
  return { result, ms: performance.now() - started };
}
