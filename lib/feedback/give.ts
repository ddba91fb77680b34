import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { claimForToday } from "#lib/complaints/limits";
import { config } from "#lib/config";
import { type Feedback, feedbackLimitKey, toFeedbackItem } from "#lib/data/feedback";
import { refund } from "#lib/limits/counter";

// POST /feedback: general feedback about the platform (a topic, a text, an optional 1–5 rating),
// for staff to read. Limited per user and day like complaints, so it cannot be used to flood.

export interface FeedbackInput {
  topic: string;
  body: string;
  rating?: number;
}

export async function giveFeedback(userId: string, input: FeedbackInput) {
  const claimed = await claimForToday(feedbackLimitKey(userId), config().complaints.feedbackPerDay, "feedback messages", "feedback");
  const feedback: Feedback = { feedbackId: randomUUID(), userId, topic: input.topic, body: input.body, ...(input.rating !== undefined ? { rating: input.rating } : {}), createdAt: new Date().toISOString() };
  try {
    await dynamodb.send(new PutCommand({ TableName: tableName(), Item: toFeedbackItem(feedback), ConditionExpression: "attribute_not_exists(PK)" }));
  } catch (error) {
    await refund(claimed).catch(() => undefined);
    throw error;
  }
  return { feedbackId: feedback.feedbackId, createdAt: feedback.createdAt };
}
