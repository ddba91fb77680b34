import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { nightly, npmRun } from "#test/steps/commands";
import { given } from "#test/steps/given";
import { table } from "#test/steps/table";
import { when } from "#test/steps/when";

// The operator commands, run for real (`npm run create-staff`, `npm run nightly`) against this run's stack.
describe("operator commands", () => {
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
    const run = await nightly();
    expect(run).toMatchObject({ status: "DONE", resumed: false });
    expect(run.runId).toEqual(expect.any(String));
    const { client, name } = table();
    const runs = await client.send(new QueryCommand({ TableName: name, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": "JOB#NIGHTLY" } }));
    expect(runs.Items?.map((i) => i.runId)).toContain(run.runId);
  });
});
