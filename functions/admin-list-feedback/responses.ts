import { defineContract } from "#lib/http/contract/define";
import { id, int, object, optional, page, text, timestamp, uuid } from "#lib/http/contract/fields";
import { route } from "./route";

export const contract = defineContract(route, {
  200: page(object({ feedbackId: uuid, userId: id, topic: text(100), body: text(5000), rating: optional(int(1, 5)), createdAt: timestamp })),
});
