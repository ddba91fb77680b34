import { spawn } from "node:child_process";

export interface Watchdog {
  /** Adds a process group to kill if this process dies without stopping the stack. */
  watch(pgid: number): void;
  /** The group is gone (a part stopped or restarted): forget it, its id may be reused. */
  unwatch(pgid: number): void;
  /** The stack was stopped properly: the watchdog exits without killing anything. */
  release(): void;
}

/**
 * A small detached process that kills the stack's process groups if this process dies abruptly
 * (SIGKILL, a crashed test runner), so no emulator outlives it holding its port. It learns of
 * the death at once: its IPC channel to us closes.
 */
export function startWatchdog(): Watchdog {
  const script = `
    const groups = new Set();
    process.on("message", (m) => {
      if (m === "release") process.exit(0);
      if (m.watch) groups.add(m.watch);
      if (m.unwatch) groups.delete(m.unwatch);
    });
    process.on("disconnect", () => {
      const kill = (sig) => groups.forEach((g) => { try { process.kill(-g, sig); } catch {} });
      kill("SIGTERM");
      kill("SIGCONT"); // a paused part acts on SIGTERM only once resumed
      setTimeout(() => { kill("SIGKILL"); process.exit(0); }, 3000);
    });`;
  const child = spawn(process.execPath, ["-e", script], { detached: true, stdio: ["ignore", "ignore", "ignore", "ipc"] });
  // Neither the process nor its channel may keep this process alive.
  child.unref();
  const channel = (child as unknown as { channel?: { unref(): void } }).channel;
  channel?.unref();
  let released = false;
  const send = (message: unknown) => {
    if (!released && child.connected) child.send(message as string);
  };
  return {
    watch: (pgid) => send({ watch: pgid }),
    unwatch: (pgid) => send({ unwatch: pgid }),
    release: () => {
      if (released) return;
      released = true;
      if (child.connected) child.send("release", () => child.disconnect());
    },
  };
}
