import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
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
  /** Sends a signal to the whole group (SIGSTOP/SIGCONT pause and resume it); false if it is gone. */
  signalGroup(signal: NodeJS.Signals): boolean;
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
  /** Append to the log (a restart keeps the output of the run that crashed). */
  append?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startProcess(opts: SpawnOptions): ManagedProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  // One log per stack run ("w"): a persistent .local/ would otherwise grow without end.
  const log = fs.createWriteStream(opts.logFile, { flags: opts.append ? "a" : "w" });
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
        // SIGCONT after SIGTERM: a paused (SIGSTOPped) process only acts on SIGTERM once resumed.
        for (const pid of members) if (signal(pid, "SIGTERM")) signal(pid, "SIGCONT");
        for (let i = 0; i < 20 && members.some((pid) => signal(pid, 0)); i++) await sleep(50);
        signalGroup("SIGTERM");
        signalGroup("SIGCONT");
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
    signalGroup: (sig) => signalGroup(sig),
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

/** Fields of /proc/<pid>/stat after "(comm)": state ppid pgrp ... (comm may contain spaces). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // gone, or not Linux
  }
}

/** Pids in a process group (Linux /proc; elsewhere none, and the group signal does the work). */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.filter((entry) => {
    const fields = statFields(entry);
    return fields !== undefined && Number(fields[2]) === pgid && fields[0] !== "Z";
  }).map(Number);
}

/** The kernel's state letter of a process ("T" = stopped by a signal), undefined if unknown. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
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
