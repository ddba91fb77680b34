import path from "node:path";
import { describeExit, type ExitInfo, type ManagedProcess, processState, startProcess } from "./processes";
import { partError, untilExit, waitUntilReady, withTimeout } from "./readiness";
import type { PartControl, PartState, PartStatus } from "./control";
import type { Watchdog } from "./watchdog";

// Runs the parts of the local stack. Starts each, waits until it is ready and sets it up (creates
// its resources); restarts a part that exits on its own and sets it up again; stops, starts,
// pauses and resumes parts on request (the control server, the fault tests). Operations on one
// part run one after another, so a stop never races a restart.

export interface PartDefinition {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Output that means it failed even though it runs on (serverless hangs after its errors). */
  fatalOutput?: RegExp;
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
  /** Runs once ready, after every (re)start; must be idempotent. */
  setup?: () => Promise<void>;
  /** false: exiting on its own ends the stack (serverless-offline) instead of a restart. */
  restartOnExit: boolean;
}

export interface PartFailure {
  part: string;
  exit: ExitInfo;
  message: string;
}

export interface SupervisorOptions {
  logDir: string;
  watchdog: Watchdog;
  /** Progress: ready times. */
  log: (line: string) => void;
  /** Exits, restarts, give-ups. */
  report: (line: string) => void;
  /** A part is gone for good: the stack cannot go on as it is. */
  onFatal: (failure: PartFailure) => void;
  /** A part that stops more often than this within restartWindowMs is given up. */
  maxRestarts?: number;
  restartWindowMs?: number;
  setupTimeoutMs?: number;
}

interface Part {
  def: PartDefinition;
  proc?: ManagedProcess;
  state: PartState;
  restarts: number;
  /** When it recently stopped on its own: for the give-up rule. */
  crashes: number[];
  followers: Array<(line: string) => void>;
  queue: Promise<unknown>;
}

// Children still running when this process exits (even on an uncaught error) are killed here.
const live = new Set<ManagedProcess>();
process.on("exit", () => {
  for (const p of live) p.killSync();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Supervisor implements PartControl {
  private readonly parts = new Map<string, Part>();
  private closing = false;

  constructor(private readonly opts: SupervisorOptions) {}

  add(def: PartDefinition): void {
    if (this.parts.has(def.name)) throw new Error(`local stack: part ${def.name} added twice`);
    this.parts.set(def.name, { def, state: "stopped", restarts: 0, crashes: [], followers: [], queue: Promise.resolve() });
  }

  /** True once stopAll() began. */
  get stopping(): boolean {
    return this.closing;
  }

  names(): string[] {
    return [...this.parts.keys()];
  }

  status(): Record<string, PartStatus> {
    return Object.fromEntries(
      [...this.parts].map(([name, p]) => {
        const pid = p.proc && !p.proc.exitInfo() ? (p.proc.pid ?? null) : null;
        return [name, { state: p.state, pid, restarts: p.restarts }];
      }),
    );
  }

  /** Calls onLine for each line the part prints from now on, across restarts. */
  follow(name: string, onLine: (line: string) => void): void {
    this.part(name).followers.push(onLine);
  }

  start(name: string): Promise<void> {
    return this.op(name, async (part) => {
      if (part.state === "running") return;
      if (part.state === "paused") return this.signal(part, "SIGCONT", "running");
      part.crashes = [];
      const ms = await this.launch(part);
      this.opts.log(`${name} ready in ${seconds(ms)}`);
    });
  }

  stop(name: string): Promise<void> {
    return this.op(name, async (part) => {
      part.state = "stopped";
      if (part.proc) await this.retire(part.proc);
    });
  }

  pause(name: string): Promise<void> {
    return this.op(name, async (part) => {
      if (part.state === "paused") return;
      if (part.state !== "running") throw new Error(`${name} is ${part.state}: only a running part can be paused`);
      await this.signal(part, "SIGSTOP", "paused");
    });
  }

  resume(name: string): Promise<void> {
    return this.op(name, async (part) => {
      if (part.state === "running") return;
      if (part.state !== "paused") throw new Error(`${name} is ${part.state}: only a paused part can be resumed`);
      await this.signal(part, "SIGCONT", "running");
    });
  }

  /** Stops every part (no restarts from now on) and waits until their process groups are gone. */
  async stopAll(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.parts.values()].map(async (part) => {
        if (part.proc) await this.retire(part.proc);
        if (part.state !== "failed") part.state = "stopped";
      }),
    );
  }

  private part(name: string): Part {
    const part = this.parts.get(name);
    if (!part) throw new Error(`unknown part "${name}" (parts: ${this.names().join(", ")})`);
    return part;
  }

  /** An operation on the named part, queued behind its earlier ones (rejects on an unknown name). */
  private op(name: string, fn: (part: Part) => Promise<void>): Promise<void> {
    const part = this.parts.get(name);
    if (!part) return Promise.reject(new Error(`unknown part "${name}" (parts: ${this.names().join(", ")})`));
    return this.run(part, () => fn(part));
  }

  /** Queues op behind the part's earlier operations. */
  private run<T>(part: Part, op: () => Promise<T>): Promise<T> {
    const result = part.queue.then(op);
    part.queue = result.catch(() => undefined);
    return result;
  }

  /** Spawns the part, waits until ready, sets it up. Returns the ms until ready. */
  private async launch(part: Part): Promise<number> {
    const { def } = part;
    if (this.closing) throw new Error(`local stack: stopping, ${def.name} is not started`);
    const proc = startProcess({
      name: def.name,
      command: def.command,
      args: def.args,
      cwd: def.cwd,
      env: def.env,
      logFile: path.join(this.opts.logDir, `${def.name}.log`),
      fatalOutput: def.fatalOutput,
      // After the first start: keep the output of the run before (why it crashed).
      append: part.proc !== undefined,
    });
    part.proc = proc;
    part.state = "starting";
    live.add(proc);
    if (proc.pid !== undefined) this.opts.watchdog.watch(proc.pid);
    proc.follow((line) => part.followers.forEach((f) => f(line)));
    void proc.exited.then(() => this.onExit(part, proc));
    try {
      const ms = await waitUntilReady(proc, def.ready, def.readyTimeoutMs);
      if (def.setup) await untilExit(proc, withTimeout(def.setup(), this.opts.setupTimeoutMs ?? 30_000, `setting up ${def.name}`));
      part.state = "running";
      return ms;
    } catch (error) {
      await this.retire(proc);
      part.state = "failed";
      throw error;
    }
  }

  private onExit(part: Part, proc: ManagedProcess): void {
    // Exits while starting fail the start; exits of a stopped part were asked for.
    if (this.closing || part.proc !== proc || (part.state !== "running" && part.state !== "paused")) return;
    const exit = proc.exitInfo() ?? { code: null, signal: null };
    if (!part.def.restartOnExit) {
      part.state = "failed";
      this.opts.onFatal({ part: part.def.name, exit, message: partError(proc, describeExit(exit)).message });
      return;
    }
    if (this.givenUp(part, proc, describeExit(exit))) return;
    part.state = "restarting";
    this.opts.report(`local stack: ${part.def.name} ${describeExit(exit)} (pid ${proc.pid}); restarting it (log: ${proc.logFile})`);
    void this.run(part, () => this.recover(part, proc));
  }

  private async recover(part: Part, crashed: ManagedProcess): Promise<void> {
    const { name } = part.def;
    await this.retire(crashed); // whatever it left running in its group
    if (part.proc !== crashed) return; // a start() queued before the crash has brought it back
    for (let attempt = 1; !this.closing && part.state !== "stopped"; attempt++) {
      part.restarts++;
      try {
        const ms = await this.launch(part);
        const resources = part.def.setup ? ", set up again" : "";
        this.opts.report(`local stack: ${name} restarted (pid ${part.proc?.pid}, ready in ${seconds(ms)}${resources})`);
        return;
      } catch (error) {
        if (this.closing) return; // the stack is being stopped: nothing to report
        this.opts.report(`local stack: ${name} did not come back: ${(error as Error).message.split("\n")[0]}`);
        if (part.proc && this.givenUp(part, part.proc, "could not be restarted")) return;
        part.state = "restarting";
        await sleep(250 * attempt);
      }
    }
  }

  /** Counts a crash; past maxRestarts within the window the part is given up (fatal for the stack). */
  private givenUp(part: Part, proc: ManagedProcess, what: string): boolean {
    const now = Date.now();
    const windowMs = this.opts.restartWindowMs ?? 60_000;
    part.crashes = [...part.crashes.filter((t) => now - t < windowMs), now];
    if (part.crashes.length <= (this.opts.maxRestarts ?? 5)) return false;
    part.state = "failed";
    const exit = proc.exitInfo() ?? { code: null, signal: null };
    const why = `${what}; it stopped ${part.crashes.length} times within ${windowMs / 1000} s: giving up`;
    this.opts.onFatal({ part: part.def.name, exit, message: partError(proc, why).message });
    return true;
  }

  /** Stops the process (and what it left in its group) and forgets it. */
  private async retire(proc: ManagedProcess): Promise<void> {
    await proc.stop();
    live.delete(proc);
    if (proc.pid !== undefined) this.opts.watchdog.unwatch(proc.pid);
  }

  /** Signals the group and waits (briefly) until the kernel has acted, so the next request meets the new state. */
  private async signal(part: Part, sig: "SIGSTOP" | "SIGCONT", state: PartState): Promise<void> {
    const proc = part.proc;
    if (!proc?.signalGroup(sig)) throw new Error(`${part.def.name} has no process to signal`);
    const stopped = sig === "SIGSTOP";
    for (let i = 0; i < 40 && proc.pid !== undefined; i++) {
      const s = processState(proc.pid);
      if (s === undefined || (s === "T") === stopped) break;
      await sleep(25);
    }
    part.state = state;
  }
}
