import { randomUUID } from "node:crypto";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { eventually } from "#test/steps/eventually";
import { type Part, parts } from "#test/steps/faults";

// An emulator killed from outside (as a crash would) is restarted by the supervisor, and the
// resources it keeps in memory exist again: the SQS queues with their redrive policies, the
// in-memory DynamoDB table. serverless-offline lives on and its SQS consumers poll again.
const { env, urls } = inject("stack");
const common = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const sqs = new SQSClient({ ...common, endpoint: env.SQS_ENDPOINT });
const dynamodb = new DynamoDBClient({ ...common, endpoint: env.DYNAMODB_ENDPOINT });
const prefix = `${env.SERVICE_NAME}-${env.STAGE}`;

/** SIGKILL to the part's pid; resolves once the supervisor reports it running again. */
async function killAndAwaitRestart(part: Part) {
  const before = (await parts())[part];
  expect(before).toMatchObject({ state: "running", pid: expect.any(Number) });
  process.kill(before.pid as number, "SIGKILL");
  const after = await eventually(
    async () => (await parts())[part],
    (s) => s.state === "running" && s.restarts === before.restarts + 1,
    `${part} restarted`,
    60_000,
  );
  expect(after.pid).not.toBe(before.pid);
}

describe("an emulator killed from outside", () => {
  afterAll(() => {
    sqs.destroy();
    dynamodb.destroy();
  });

  it("SQS: restarted with its queues and redrive policies; the consumers poll again", async () => {
    const offline = (await parts()).offline;
    await killAndAwaitRestart("sqs");

    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    // Every queue the stack was started with (their URLs are in its env) is back.
    const queues = Object.entries(env).filter(([name, value]) => name.endsWith("_URL") && value.startsWith(env.SQS_ENDPOINT ?? "-")).map(([, url]) => url);
    expect(queues.length).toBeGreaterThanOrEqual(7);
    expect([...QueueUrls].sort()).toEqual(queues.sort());
    for (const [queueUrl, dlqUrl] of [
      [env.INCIDENTS_QUEUE_URL, env.INCIDENTS_DLQ_URL],
      [env.BEHAVIOR_EVENTS_QUEUE_URL, env.BEHAVIOR_EVENTS_DLQ_URL],
      [env.RECOMPUTE_QUEUE_URL, env.RECOMPUTE_DLQ_URL],
    ] as const) {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }));
      const redrive = JSON.parse(Attributes?.RedrivePolicy ?? "{}");
      expect(redrive.deadLetterTargetArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${dlqUrl?.split("/").pop()}`);
    }

    // serverless-offline did not go down with it, and its consumer still takes messages: an
    // invalid behaviour event is dead-lettered by the consumer itself.
    expect((await parts()).offline).toMatchObject({ state: "running", pid: offline.pid });
    const marker = `not an event ${randomUUID()}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: env.BEHAVIOR_EVENTS_QUEUE_URL, MessageBody: marker }));
    await eventually(
      async () => {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.BEHAVIOR_EVENTS_DLQ_URL, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        return (out.Messages ?? []).some((m) => m.Body?.includes(marker));
      },
      (found) => found === true,
      "the invalid event in the DLQ",
      30_000,
    );
  });

  it("DynamoDB (in memory here): restarted with the table and its indexes again; serverless-offline follows the new stream", async () => {
    const offline = (await parts()).offline;
    await killAndAwaitRestart("dynamodb");
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(["GSI1", "GSI2", "GSI3"]);
    // A new table stream: the supervisor restarts serverless-offline on it, and the API answers again.
    await eventually(
      async () => ({ part: (await parts()).offline, health: await fetch(`${urls.api}/health`).then((r) => r.status, () => 0) }),
      ({ part, health }) => part.state === "running" && part.pid !== offline.pid && health === 200,
      "serverless-offline back on the new stream",
      120_000,
    );
  }, 150_000);
});
