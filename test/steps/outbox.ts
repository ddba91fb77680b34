import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { table } from "#test/steps/table";

// The outbox as tests see it: a user's outbox items, raw, and stream events built from them.

export async function outboxItemsOf(userId: string): Promise<Record<string, unknown>[]> {
  const { client, name } = table();
  const out = await client.send(
    new QueryCommand({
      TableName: name,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":prefix": "OUTBOX#" },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** A DynamoDB stream event as Lambda delivers it: the INSERT of each item, NEW_IMAGE. */
export const streamEventOf = (items: Record<string, unknown>[]): DynamoDBStreamEvent => ({
  Records: items.map((item, i) => ({
    eventID: `e-${i}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(1000 + i),
      StreamViewType: "NEW_IMAGE",
    },
  })),
});
