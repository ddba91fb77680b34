import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// Child processes of the local stack: each in its own process group, output kept in a log file.

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number | undefined;
  /** Resolves (never rejects) when the group leader has exited. */
  readonly exited: Promise<ExitInfo>;
  /** Undefined while the process runs. */
  exitInfo(): ExitInfo | undefined;
  /** Calls onLine for each output line from now on (start.ts echoes the API's log this way). */
  follow(onLine: (line: string) => void): void;
  /** The first output line that matched SpawnOptions.fatalOutput, if any. */
  fatalLine(): string | undefined;
  /** SIGTERM to the whole group, SIGKILL after a grace period; waits for the group to be gone. */
  stop(): Promise<void>;
  /** SIGKILL to the group, synchronously: for process "exit" hooks, where nothing async runs. */
  killSync(): void;
  /** Last lines of the log file, for error messages. */
  logTail(lines?: number): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Output that means the process failed even if it keeps running (serverless hangs on errors). */
  fatalOutput?: RegExp;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startProcess(opts: SpawnOptions): ManagedProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  // One log per run ("w"): a persistent .local/ would otherwise grow without end.
  const log = fs.createWriteStream(opts.logFile, { flags: "w" });
  log.write(`--- ${new Date().toISOString()} ${opts.command} ${opts.args.join(" ")}\n`);

  // detached: the child leads a new process group, so stop() can signal it together with whatever
  // it spawned (serverless-offline leaves esbuild children that would otherwise survive it).
  const child: ChildProcess = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });

  const followers: Array<(line: string) => void> = [];
  let fatal: string | undefined;
  let partial = "";
  const onData = (chunk: Buffer) => {
    if (!log.writableEnded) log.write(chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (fatal === undefined && opts.fatalOutput?.test(line)) fatal = line;
      for (const f of followers) f(line);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const closed = (stream: NodeJS.ReadableStream | null) =>
    new Promise<void>((resolve) => (stream ? stream.once("close", resolve) : resolve()));
  const outputClosed = Promise.all([closed(child.stdout), closed(child.stderr)]);

  // Set once the process has exited and its last output is in the log file (so a log tail read
  // after that is complete).
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = async (result: ExitInfo) => {
      // Output can arrive after "exit"; grandchildren may hold the pipes open, so don't wait long.
      await Promise.race([outputClosed, sleep(500)]);
      await new Promise<void>((done) => log.end(done));
      info = result;
      resolve(result);
    };
    child.once("error", (error) => {
      // Spawn failures emit "error" without "exit".
      if (child.pid === undefined) {
        log.write(`spawn failed: ${error.message}\n`);
        void finish({ code: null, signal: null, error });
      }
    });
    child.once("exit", (code, signal) => void finish({ code, signal }));
  });

  const signalGroup = (signal: NodeJS.Signals | 0) => {
    if (child.pid === undefined) return false;
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is already gone
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!info && child.pid !== undefined) {
        // Children first, while the leader still runs to reap them: once the leader is gone they
        // are re-parented to PID 1, which in some containers never reaps (zombies in `ps`).
        const members = groupMembers(child.pid).filter((pid) => pid !== child.pid);
        for (const pid of members) signal(pid, "SIGTERM");
        for (let i = 0; i < 20 && members.some((pid) => signal(pid, 0)); i++) await sleep(50);
        signalGroup("SIGTERM");
        await Promise.race([exited, sleep(5000)]);
      }
      // The leader may be gone while children in its group live on: make sure they are not.
      signalGroup("SIGKILL");
      await Promise.race([exited, sleep(5000)]);
      // Wait (briefly) until no member of the group remains.
      if (child.pid !== undefined) for (let i = 0; i < 40 && groupMembers(child.pid).length > 0; i++) await sleep(50);
    })();
    return stopping;
  };

  return {
    name: opts.name,
    logFile: opts.logFile,
    pid: child.pid,
    exited,
    exitInfo: () => info,
    follow: (onLine) => {
      followers.push(onLine);
    },
    fatalLine: () => fatal,
    stop,
    killSync: () => {
      signalGroup("SIGKILL");
    },
    logTail: (lines = 30) => tailFile(opts.logFile, lines),
  };
}

function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Pids in a process group (Linux /proc; elsewhere none, and the group signal does the work). */
function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    try {
      // Fields after "(comm)": state ppid pgrp ...; comm may contain spaces, so split after ")".
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export interface Watchdog {
  /** Adds a process group to kill if this process dies without stopping the stack. */
  watch(pgid: number): void;
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
    let groups = [];
    process.on("message", (m) => {
      if (m === "release") process.exit(0);
      groups.push(m);
    });
    process.on("disconnect", () => {
      const kill = (sig) => groups.forEach((g) => { try { process.kill(-g, sig); } catch {} });
      kill("SIGTERM");
      setTimeout(() => { kill("SIGKILL"); process.exit(0); }, 3000);
    });`;
  const child = spawn(process.execPath, ["-e", script], { detached: true, stdio: ["ignore", "ignore", "ignore", "ipc"] });
  // Neither the process nor its channel may keep this process alive.
  child.unref();
  const channel = (child as unknown as { channel?: { unref(): void } }).channel;
  channel?.unref();
  let released = false;
  return {
    watch: (pgid) => {
      if (!released && child.connected) child.send(pgid);
    },
    release: () => {
      if (released) return;
      released = true;
      if (child.connected) child.send("release", () => child.disconnect());
    },
  };
}

export function tailFile(file: string, lines: number): string {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text
      .split("\n")
      .slice(-lines - 1)
      .join("\n")
      .trimEnd();
  } catch {
    return "(no log)";
  }
}

/** Describes how a process ended, for error messages. */
export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not be started (${info.error.message})`;
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}

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

/** True once anything answers HTTP on the URL (any status): the server is accepting requests. */
export async function httpAnswers(url: string, init?: RequestInit): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return true;
}

/** Throws a clear error if something already listens on the port (on any interface). */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`local stack: port ${port} (${what}) is already in use. Is another local stack running? Choose other ports.`)
          : error,
      );
    });
    // No host: binds every interface, like DynamoDB Local does.
    server.listen(port, () => server.close(() => resolve()));
  });
}

/** Distinct ports that are free right now (all servers are open at once, so none repeats). */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** Finds an executable on PATH (no shell involved). */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
