import { fieldsOf, shardOf, userPk } from "#lib/data/keys";

// General feedback (POST /feedback): one item each (`FEEDBACK#<id>`), listed for staff newest
// first over sharded GSI1 partitions. The sort key counts down from the far future so the merged
// listing (which reads each shard in ascending order) starts with the newest.

export interface Feedback {
  feedbackId: string;
  userId: string;
  topic: string;
  body: string;
  rating?: number;
  createdAt: string;
}

export const ENTITY = "FEEDBACK";

export const FEEDBACK_LISTING = "FEEDBACK";
const FAR_FUTURE_MS = 9_999_999_999_999;

export const feedbackKey = (feedbackId: string) => ({ PK: `FEEDBACK#${feedbackId}`, SK: "FEEDBACK" });
export const feedbackIndex = (feedbackId: string, createdAt: string) => ({
  GSI1PK: `${FEEDBACK_LISTING}#${shardOf(feedbackId)}`,
  GSI1SK: `${String(FAR_FUTURE_MS - Date.parse(createdAt)).padStart(13, "0")}#${feedbackId}`,
});

/** GSI3: a user's own feedback (data export, account deletion). */
export const feedbackByUserPk = (userId: string) => `FEEDBACK_BY#${userId}`;
export const feedbackByUserIndex = (f: Pick<Feedback, "feedbackId" | "userId" | "createdAt">) => ({ GSI3PK: feedbackByUserPk(f.userId), GSI3SK: `${f.createdAt}#${f.feedbackId}` });

export const toFeedbackItem = (f: Feedback) => ({ ...feedbackKey(f.feedbackId), ...feedbackIndex(f.feedbackId, f.createdAt), ...feedbackByUserIndex(f), entity: ENTITY, ...f });

export const fromFeedbackItem = (item: Record<string, unknown>): Feedback | undefined =>
  item.entity === ENTITY ? (fieldsOf(item) as unknown as Feedback) : undefined;

/** A user's feedback counter for the daily limit, in the user's partition. */
export const feedbackLimitKey = (userId: string) => ({ PK: userPk(userId), SK: "LIMIT#FEEDBACK" });
