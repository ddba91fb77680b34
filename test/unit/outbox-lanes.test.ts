import { afterEach, describe, expect, it, vi } from "vitest";
import { inLanes, pacer } from "#lib/notify/lanes";

// How the sender spreads a batch's sends: lanes over one queue, paced to the configured rate.
afterEach(() => {
  vi.restoreAllMocks(); // first: the spy on setTimeout wraps the fake one
  vi.useRealTimers();
});

describe("pacer", () => {
  it("spaces the starts at the configured rate", async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const pace = pacer(10);
    const starts: number[] = [];

    // Act: four lanes ask at once.
    const done = Promise.all(Array.from({ length: 4 }, () => pace().then(() => starts.push(Date.now()))));
    await vi.runAllTimersAsync();
    await done;

    // Assess
    expect(starts).toEqual([0, 100, 200, 300]);
  });

  it("takes no timer for a wait under a millisecond, and still keeps the rate over time", async () => {
    // Prepare
    vi.useFakeTimers({ now: 0 });
    const timer = vi.spyOn(globalThis, "setTimeout");
    const pace = pacer(4000); // 0.25 ms apart

    // Act
    const done = Promise.all(Array.from({ length: 12 }, () => pace()));
    await vi.runAllTimersAsync();
    await done;

    // Assess: the first four start at once; the others wait their whole milliseconds.
    expect(timer.mock.calls.map(([, ms]) => ms)).toEqual([1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]);
  });
});

describe("inLanes", () => {
  it("works every item once, at most `lanes` at a time, a free lane taking the next item at once", async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];

    // Act: item 0 is slow; the other lanes work through the rest meanwhile.
    await inLanes([0, 1, 2, 3, 4, 5, 6], 3, async (i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, i === 0 ? 30 : 1));
      seen.push(i);
      inFlight--;
    });

    // Assess
    expect(most).toBe(3);
    expect(seen.at(-1)).toBe(0);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("starts no more lanes than items, and none for no items", async () => {
    const work = vi.fn(async () => undefined);
    await inLanes([], 8, work);
    expect(work).not.toHaveBeenCalled();
    await inLanes(["a"], 8, work);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
