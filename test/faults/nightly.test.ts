import { spawn } from "node:child_process";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { nightly, npmRun, stackEnvDir } from "#test/steps/commands";
import { creditStateOf, seedChangedUsers } from "#test/steps/credit";
import { eventually } from "#test/steps/eventually";
import { table } from "#test/steps/table";

// The nightly job under concurrency and crashes: its lease lets one run at a time, a run that died
// is taken over (same run, same asOf), and every changed user ends with exactly one history item.
// A short lease here, so a dead run is taken over within seconds.
const LEASE = { NIGHTLY_LEASE_SECONDS: "3" };

async function expectOneHistoryEach(userIds: string[]) {
  const states = await Promise.all(userIds.map(creditStateOf));
  expect(states.filter((s) => s.history.length !== 1)).toEqual([]);
  expect(states.filter((s) => s.marked)).toEqual([]);
}

const lease = async () => (await table().client.send(new GetCommand({ TableName: table().name, Key: { PK: "JOB#NIGHTLY", SK: "LEASE" }, ConsistentRead: true }))).Item;

describe("npm run nightly under concurrency and crashes", () => {
  it("lets one of two concurrent runs through; the other refuses at once, naming the run that holds the lease", async () => {
    const users = await seedChangedUsers(300);
    const [first, second] = await Promise.allSettled([npmRun("nightly", [], LEASE), npmRun("nightly", [], LEASE)]);
    const results = [first, second];
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    const ran = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ stdout: string }>[];
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const run = JSON.parse(ran[0]?.value.stdout.trim().split("\n").at(-1) ?? "{}") as { runId: string; status: string };
    expect(run.status).toBe("DONE");
    expect(refused[0]?.reason).toMatchObject({ code: 3, stderr: expect.stringContaining(`nightly run ${run.runId}`) });
    expect(refused[0]?.reason.stderr).toContain("holds the lease");
    await expectOneHistoryEach(users);
  });

  it("finishes a run killed midway when it is started again, without waiting on the dead run's batches", async () => {
    const users = await seedChangedUsers(2000);
    // Started as `npm run nightly` starts it, in a process group of its own, and killed (SIGKILL:
    // no clean-up) once its first batch is done.
    const child = spawn("npx", ["tsx", "scripts/nightly.ts"], { env: { ...process.env, LOCAL_STACK_DIR: stackEnvDir(), ...LEASE }, stdio: "ignore", detached: true });
    const runId = String((await eventually(lease, (l) => l?.status === "RUNNING", "the first run's lease", 30_000, 50))?.runId);
    await eventually(
      async () => (await table().client.send(new GetCommand({ TableName: table().name, Key: { PK: "JOB#CREDIT_RECOMPUTE", SK: `RUN#${runId}` }, ConsistentRead: true }))).Item,
      (run) => Number(run?.batchesDone ?? 0) >= 1,
      "a first batch done",
      30_000,
      20,
    );
    process.kill(-(child.pid as number), "SIGKILL");

    const started = Date.now();
    const resumed = await nightly(LEASE);
    expect(resumed).toMatchObject({ runId, resumed: true, status: "DONE" });
    expect(Date.now() - started).toBeLessThan(60_000); // the lease's few seconds, not the queue's visibility timeout
    await expectOneHistoryEach(users);
    // Every history item is the run's: the dead run's users and the rest alike.
    expect((await creditStateOf(users[0] as string)).history).toEqual([`CREDIT_HISTORY#${resumed.asOf}`]);
    expect((await creditStateOf(users.at(-1) as string)).history).toEqual([`CREDIT_HISTORY#${resumed.asOf}`]);
  });
});
