import middy from "@middy/core";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { type Change, countChanges } from "#lib/analytics/apply";
import { logger, withLogContext } from "#lib/logger";

// Table stream (user and feedback items, by the event-source filter; old and new images) → the
// analytics counters. A failure throws the batch back whole; what was counted is not counted again.
const imageOf = (image: Record<string, unknown> | undefined) => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

export const handler = middy(async (event: DynamoDBStreamEvent): Promise<void> => {
  const changes: Change[] = event.Records.flatMap((record) =>
    record.eventID ? [{ recordId: record.eventID, oldImage: imageOf(record.dynamodb?.OldImage), newImage: imageOf(record.dynamodb?.NewImage) }] : [],
  );
  const outcome = await countChanges(changes);
  logger.info("analytics batch", { records: event.Records.length, ...outcome });
}).use(withLogContext());
