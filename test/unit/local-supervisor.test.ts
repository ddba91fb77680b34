import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processState } from "#scripts/local/processes";
import { type PartDefinition, type PartFailure, Supervisor } from "#scripts/local/supervisor";

// The supervisor with dummy children (plain node processes): restarts, stop/start, pause/resume
// and giving up, without any emulator.

const IDLE = "setInterval(() => {}, 1000)";
let logDir: string;
let supervisor: Supervisor;
let reports: string[];
let failures: PartFailure[];
let setups: number;

const part = (script: string, overrides: Partial<PartDefinition> = {}): PartDefinition => ({
  name: "dummy",
  command: process.execPath,
  args: ["-e", script],
  cwd: os.tmpdir(),
  env: process.env,
  ready: async () => true,
  readyTimeoutMs: 5000,
  setup: async () => {
    setups++;
  },
  restartOnExit: true,
  ...overrides,
});

const until = async (done: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const status = () => supervisor.status().dummy!;
const watchdog = { watch: () => {}, unwatch: () => {}, release: () => {} };

beforeEach(() => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), "supervisor-test-"));
  reports = [];
  failures = [];
  setups = 0;
  supervisor = new Supervisor({
    logDir,
    watchdog,
    log: () => {},
    report: (line) => reports.push(line),
    onFatal: (f) => failures.push(f),
    maxRestarts: 2,
    restartWindowMs: 60_000,
  });
});

afterEach(async () => {
  await supervisor.stopAll();
  fs.rmSync(logDir, { recursive: true, force: true });
});

describe("Supervisor", () => {
  it("starts a part, waits until ready and sets it up", async () => {
    supervisor.add(part(IDLE));
    expect(status()).toEqual({ state: "stopped", pid: null, restarts: 0 });
    await supervisor.start("dummy");
    expect(status()).toMatchObject({ state: "running", pid: expect.any(Number), restarts: 0 });
    expect(setups).toBe(1);
  });

  it("restarts a part killed from outside and sets it up again", async () => {
    supervisor.add(part(IDLE));
    await supervisor.start("dummy");
    const first = status().pid as number;
    process.kill(first, "SIGKILL");
    await until(() => status().state === "running" && status().pid !== first, "the restart");
    expect(status().restarts).toBe(1);
    expect(setups).toBe(2);
    expect(reports[0]).toMatch(/dummy was killed by SIGKILL .*restarting it/);
    expect(reports[1]).toMatch(/dummy restarted \(pid \d+/);
    expect(failures).toEqual([]);
  });

  it("does not restart a part stopped on purpose, and starts it again on request", async () => {
    supervisor.add(part(IDLE));
    await supervisor.start("dummy");
    const pid = status().pid as number;
    await supervisor.stop("dummy");
    expect(status()).toEqual({ state: "stopped", pid: null, restarts: 0 });
    expect(alive(pid)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(status().state).toBe("stopped");
    await supervisor.start("dummy");
    expect(status()).toMatchObject({ state: "running", restarts: 0 });
    expect(setups).toBe(2);
    expect(reports).toEqual([]);
  });

  it("pauses (SIGSTOP) and resumes (SIGCONT) the process group", async () => {
    supervisor.add(part(IDLE));
    await supervisor.start("dummy");
    const pid = status().pid as number;
    await supervisor.pause("dummy");
    expect(status().state).toBe("paused");
    expect(processState(pid)).toBe("T");
    await supervisor.resume("dummy");
    expect(status().state).toBe("running");
    expect(processState(pid)).not.toBe("T");
  });

  it("stops a paused part", async () => {
    supervisor.add(part(IDLE));
    await supervisor.start("dummy");
    const pid = status().pid as number;
    await supervisor.pause("dummy");
    await supervisor.stop("dummy");
    expect(alive(pid)).toBe(false);
  });

  it("gives up on a part that keeps exiting, with the end of its log", async () => {
    supervisor.add(part("console.log('about to fail'); setTimeout(() => process.exit(3), 100)"));
    await supervisor.start("dummy");
    await until(() => failures.length > 0, "giving up");
    expect(failures[0]?.part).toBe("dummy");
    expect(failures[0]?.message).toMatch(/dummy exited with code 3; it stopped 3 times within 60 s: giving up/);
    expect(failures[0]?.message).toContain("about to fail");
    expect(status()).toMatchObject({ state: "failed", pid: null, restarts: 2 });
  });

  it("reports the exit of a part that must not be restarted as fatal", async () => {
    supervisor.add(part("setTimeout(() => process.exit(1), 100)", { name: "dummy", restartOnExit: false }));
    await supervisor.start("dummy");
    await until(() => failures.length > 0, "the failure");
    expect(failures[0]?.message).toMatch(/dummy exited with code 1/);
    expect(status().restarts).toBe(0);
  });

  it("fails a start that never gets ready, and refuses what does not fit the state", async () => {
    supervisor.add(part(IDLE, { ready: async () => false, readyTimeoutMs: 300 }));
    await expect(supervisor.start("dummy")).rejects.toThrow(/dummy was not ready after/);
    expect(status()).toMatchObject({ state: "failed", pid: null });
    await expect(supervisor.pause("dummy")).rejects.toThrow(/only a running part can be paused/);
    await expect(supervisor.resume("dummy")).rejects.toThrow(/only a paused part can be resumed/);
    await expect(supervisor.stop("nope")).rejects.toThrow(/unknown part "nope"/);
  });
});
