import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { withLogContext } from "#lib/logger";
import { onDeletionRecords } from "#lib/privacy/deletion";

// Table stream (deletion records in status PENDING only, by the event-source filter) → the
// deletion worker. A failed step throws the batch back: the stream retries it, and the retry
// resumes at the failed step (lib/privacy/deletion.ts).
export const handler = middy(async (event: DynamoDBStreamEvent): Promise<void> => onDeletionRecords(event.Records)).use(withLogContext());
