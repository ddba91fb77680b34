import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, inject, it } from "vitest";
import { emulator } from "#test/steps/faults";

// DynamoDB paused (SIGSTOP): it keeps its port but answers nothing, like a hung dependency; a
// client with a short timeout fails, and works again once it is resumed.
const { env } = inject("stack");
const dynamodb = new DynamoDBClient({
  region: "us-east-1",
  endpoint: env.DYNAMODB_ENDPOINT,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  maxAttempts: 1,
  // throwOnRequestTimeout: without it the SDK only warns and keeps waiting.
  requestHandler: { requestTimeout: 1000, connectionTimeout: 1000, throwOnRequestTimeout: true },
});
const describeTable = () => dynamodb.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));

describe("DynamoDB paused and resumed through the control server", () => {
  afterAll(async () => {
    await emulator("dynamodb").resume();
    dynamodb.destroy();
  });

  it("times out while paused and answers after resume", async () => {
    await expect(describeTable()).resolves.toMatchObject({ Table: { TableStatus: "ACTIVE" } });
    const before = await emulator("dynamodb").status();

    await emulator("dynamodb").pause();
    expect(await emulator("dynamodb").status()).toMatchObject({ state: "paused", pid: before.pid });
    const began = Date.now();
    await expect(describeTable()).rejects.toThrow(/timeout|timed out|aborted/i);
    expect(Date.now() - began).toBeLessThan(5000);

    await emulator("dynamodb").resume();
    // The same process, not a restart.
    expect(await emulator("dynamodb").status()).toEqual({ ...before, state: "running" });
    await expect(describeTable()).resolves.toMatchObject({ Table: { TableStatus: "ACTIVE" } });
  });
});
