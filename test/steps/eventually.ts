/**
 * Polls `read` until `done` holds (asynchronous effects: queues, streams, mail, an emulator coming
 * back), failing with the last value seen after `timeoutMs`. A read that throws counts as a value
 * that is not done yet (the service may be down on purpose).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch((error: unknown) => error as T);
    if (!(value instanceof Error) && done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${value instanceof Error ? value.message : JSON.stringify(value)?.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
