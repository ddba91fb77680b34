import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { given } from "#test/steps/given";
import { stack } from "#test/steps/stack";
import { table } from "#test/steps/table";
import { when } from "#test/steps/when";

// The operator commands, run for real (`npm run create-staff`, `npm run nightly`) against this run's stack.
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "stack-env-"));

const npmRun = (script: string, args: string[] = []) =>
  exec("npm", ["run", "-s", script, "--", ...args], { env: { ...process.env, LOCAL_STACK_DIR: dir }, timeout: 60_000 });

describe("operator commands", () => {
  beforeAll(() => {
    // The file `npm start` writes; this process's pid stands for the running stack.
    writeFileSync(join(dir, "stack.env.json"), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), urls: stack().urls, env: stack().env }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("create-staff makes a verified staff account that signs in with its groups", async () => {
    const username = given.uniqueUsername("staff");
    const password = given.strongPassword();
    const { stdout } = await npmRun("create-staff", ["--username", username, "--email", given.uniqueEmail("staff"), "--password", password, "--groups", "admin,reviewer"]);
    expect(stdout).toContain(`created staff account ${username}`);
    const login = await when.login(username, password);
    expect(login.status, login.text).toBe(200);
    const me = await when.getMe(login.body.accessToken);
    expect(me.body.groups.sort()).toEqual(["admin", "reviewer"]);
    expect(me.body.permissions).toEqual(expect.arrayContaining(["users:manage", "data:pii:read", "reviews:decide"]));
  });

  it("create-staff refuses unknown groups and weak passwords, and creates nothing", async () => {
    const username = given.uniqueUsername("staff");
    await expect(npmRun("create-staff", ["--username", username, "--email", given.uniqueEmail(), "--password", given.strongPassword(), "--groups", "root"])).rejects.toMatchObject({
      stderr: expect.stringContaining("Groups must be some of"),
    });
    await expect(npmRun("create-staff", ["--username", username, "--email", given.uniqueEmail(), "--password", "password123", "--groups", "ops"])).rejects.toMatchObject({
      stderr: expect.stringContaining("too common"),
    });
    expect((await when.login(username, "password123")).status).toBe(401);
  });

  it("nightly runs through the scheduled code and records the run", async () => {
    const { stdout } = await npmRun("nightly");
    const run = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { runId: string; durationMs: number; steps: unknown[] };
    expect(run.runId).toEqual(expect.any(String));
    const { client, name } = table();
    const runs = await client.send(new QueryCommand({ TableName: name, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": "JOB#NIGHTLY" } }));
    expect(runs.Items?.map((i) => i.runId)).toContain(run.runId);
  });
});
