// How the sender spreads a batch's sends: a few lanes working one shared queue (a lane that is done
// takes the next message at once, so no lane waits on a slower one's share), and a pacer that
// keeps their starts at the configured rate.

/** Starts at most `perSecond` sends per second across the lanes; a wait under 1 ms is not taken. */
export function pacer(perSecond: number) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    // A timer cannot wait less than about a millisecond: at a high rate each one would idle its
    // lane for longer than the send it spaces out, and the schedule (`next`) keeps the rate anyway.
    if (at - now >= 1) await new Promise((r) => setTimeout(r, at - now));
  };
}

/** Runs `work` over the items in `lanes` parallel lanes (never more lanes than items). */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
