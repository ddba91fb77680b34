import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { lambdaContext } from "#test/steps/api-gateway-events";
import { behaviourEvent, inDlq } from "#test/steps/behavior-events";
import { given } from "#test/steps/given";
import { stack } from "#test/steps/stack";
import { table } from "#test/steps/table";

// The behaviour-events handler called in-process with a built SQS batch, against the real
// emulators: serverless-offline-sqs does not emulate ReportBatchItemFailures, so partial batch
// failure is checked here, on the real handler and table.

describe("behavior-events handler", () => {
  it("a malformed record is dead-lettered, a failing one is reported, the rest of the batch is recorded once", async () => {
    Object.assign(process.env, stack().env, { POWERTOOLS_LOG_LEVEL: "SILENT" });
    const { handler } = await import("../../functions/behavior-events/handler");
    const { user } = await given.aSignedInUser();
    const userId = user.userId;
    const stranger = behaviourEvent(`nobody-${randomUUID()}`, "ACTIVE_DAY"); // about a user we do not have
    const good = behaviourEvent(userId, "TRANSACTION_COMPLETED");
    const marker = randomUUID();
    const bodies = [
      JSON.stringify(good),
      `{"eventId":"${marker}", not json`,
      JSON.stringify(behaviourEvent(userId, "REVIEW_RECEIVED", { rating: 5 })),
      JSON.stringify(good), // duplicate in the same batch
      JSON.stringify(behaviourEvent(userId, "ACTIVE_DAY", { note: "x".repeat(410_000) })), // over DynamoDB's item limit
      JSON.stringify(stranger),
    ];
    const event = {
      Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body, receiptHandle: "r", attributes: {}, messageAttributes: {}, md5OfBody: "", eventSource: "aws:sqs", eventSourceARN: "arn", awsRegion: "us-east-1" })),
    } as unknown as SQSEvent;
    const response = await handler(event, lambdaContext);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-4" }] });
    await inDlq(marker);
    expect((await inDlq(stranger.eventId))?.MessageAttributes?.rejectedReason?.StringValue).toBe("userId: no such user");
    const { client, name } = table();
    const counters = await client.send(new GetCommand({ TableName: name, Key: { PK: `USER#${userId}`, SK: "CREDIT" }, ConsistentRead: true }));
    expect(counters.Item).toMatchObject({ "t.TRANSACTION_COMPLETED": 1, "t.REVIEW_RECEIVED": 1, version: 2 });
    expect(counters.Item?.["t.ACTIVE_DAY"]).toBeUndefined();
  });
});
