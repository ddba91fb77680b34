import { FEEDBACK_LISTING, fromFeedbackItem } from "#lib/data/feedback";
import { shardedPage } from "#lib/data/query";

// GET /admin/feedback: newest first, merged over the listing's 16 GSI1 shards, paginated. Items
// carry the author's user id only (no contact details).

export async function listFeedback(limit: number, cursor?: string) {
  const page = await shardedPage(FEEDBACK_LISTING, limit, cursor);
  return { items: page.items.flatMap((item) => fromFeedbackItem(item) ?? []), nextCursor: page.nextCursor };
}
