import { describeExit, type ManagedProcess } from "./processes";

// When a part counts as up, and errors that say which part failed and show the end of its log.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls check() until it returns true. Fails early if the process exits, or after timeoutMs.
 * Returns the milliseconds it took.
 */
export async function waitUntilReady(proc: ManagedProcess, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const info = proc.exitInfo();
    if (info) throw partError(proc, `${describeExit(info)} while starting`);
    if (proc.fatalLine() !== undefined) {
      await sleep(300); // let the rest of the error reach the log
      throw partError(proc, `failed while starting (${proc.fatalLine()})`);
    }
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw partError(proc, `was not ready after ${Math.round(timeoutMs / 1000)} s`);
    await Promise.race([sleep(200), proc.exited]);
  }
}

export function partError(proc: ManagedProcess, what: string): Error {
  return new Error(`local stack: ${proc.name} ${what}. Last lines of ${proc.logFile}:\n${proc.logTail()}`);
}

/** Fails as soon as the process exits while the promise is pending (else a connection error would hide why). */
export async function untilExit<T>(proc: ManagedProcess, promise: Promise<T>): Promise<T> {
  const exited = proc.exited.then((exit) => {
    throw partError(proc, `${describeExit(exit)} while it was set up`);
  });
  exited.catch(() => undefined);
  return Promise.race([promise, exited]);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`local stack: timed out after ${ms / 1000} s ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
