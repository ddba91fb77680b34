import { describe, expect, it } from "vitest";
import { lambdaContext } from "#test/steps/api-gateway-events";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { outboxItemsOf, streamEventOf } from "#test/steps/outbox";
import { stack } from "#test/steps/stack";
import { mailsTo } from "#test/steps/then";

// The sender called in-process with stream records, beside the real one serverless-offline runs
// from the table's stream: however often a record arrives, and however many senders race for it,
// a message goes out once.
describe("send-messages handler", () => {
  it("sends one mail for a stream record delivered twice, and twice more in parallel", async () => {
    Object.assign(process.env, stack().env, { POWERTOOLS_LOG_LEVEL: "SILENT" });
    const { handler } = await import("../../functions/send-messages/handler");
    const user = await given.aRegisteredUser();
    const [item] = await outboxItemsOf(user.userId);
    expect(item).toMatchObject({ entity: "OUTBOX", template: "VERIFICATION_CODE" });
    const event = streamEventOf([item as Record<string, unknown>]);

    await Promise.all([handler(event, lambdaContext), handler(event, lambdaContext)]);
    await handler(event, lambdaContext);
    const delivered = await eventually(() => outboxItemsOf(user.userId), ([i]) => i?.status === "DELIVERED", "the message delivered");
    expect(delivered[0]?.payloadEnc).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500)); // room for a (wrong) second mail from the stream's own sender
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it("ignores records that are not new outbox items", async () => {
    const { handler } = await import("../../functions/send-messages/handler");
    const event = streamEventOf([{ PK: "USER#x", SK: "PROFILE", entity: "USER", userId: "x" }]);
    await expect(handler(event, lambdaContext)).resolves.toBeUndefined();
  });
});
