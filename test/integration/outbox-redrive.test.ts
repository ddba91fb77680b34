import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { npmRun } from "#test/steps/commands";
import { eventually } from "#test/steps/eventually";
import { given } from "#test/steps/given";
import { outboxItemsOf } from "#test/steps/outbox";
import { stack } from "#test/steps/stack";
import { table } from "#test/steps/table";
import { mailsMatching, mailsTo } from "#test/steps/then";

// `npm run outbox:redrive`: a message left PENDING after an outage outlasted the stream's retries
// is put again under a new id and sent once; its old item is marked REDRIVEN.
describe("outbox redrive", () => {
  it("sends a stuck message once, under a new id, and refuses to redrive it twice", async () => {
    Object.assign(process.env, stack().env, { POWERTOOLS_LOG_LEVEL: "SILENT" });
    const [{ outboxItem }, { getUser }] = await Promise.all([import("#lib/notify/outbox"), import("#lib/data/user")]);
    const user = await given.aVerifiedUser();
    const record = (await getUser(user.userId, true)) as NonNullable<Awaited<ReturnType<typeof getUser>>>;
    const stuck = await outboxItem(record, "EMAIL", "PASSWORD_CHANGED", { at: "2026-12-02T08:00:00.000Z" });
    // The state after an outage: the item is PENDING but its stream record is long gone. Inserted
    // already past its notAfter, the sender settles it EXPIRED unsent; then it is set back to
    // PENDING with its payload (a MODIFY, which the sender never sees).
    const { client, name } = table();
    await client.send(new PutCommand({ TableName: name, Item: { ...stuck, notAfter: Date.now() - 1 } }));
    await eventually(() => outboxItemsOf(user.userId), (all) => all.some((i) => i.messageId === stuck.messageId && i.status === "EXPIRED"), "the insert settled by the sender");
    await client.send(
      new UpdateCommand({
        TableName: name,
        Key: { PK: stuck.PK, SK: stuck.SK },
        UpdateExpression: "SET #s = :p, payloadEnc = :payload REMOVE notAfter, settledAt",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":p": "PENDING", ":payload": stuck.payloadEnc },
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailsTo(user.email)).filter((m) => /password was changed/.test(m.subject))).toHaveLength(0);

    const { stdout } = await npmRun("outbox:redrive", ["--user", user.userId, "--message", stuck.messageId]);
    expect(stdout).toMatch(new RegExp(`${stuck.messageId}: REDRIVEN as [0-9a-f-]{36}`));
    await mailsMatching(user.email, /password was changed/);
    const items = await eventually(() => outboxItemsOf(user.userId), (all) => all.some((i) => i.redrivenAs && all.some((j) => j.messageId === i.redrivenAs && j.status === "DELIVERED")), "the copy delivered");
    const old = items.find((i) => i.messageId === stuck.messageId);
    expect(old).toMatchObject({ status: "REDRIVEN" });
    expect(old?.payloadEnc).toBeUndefined();

    await expect(npmRun("outbox:redrive", ["--user", user.userId, "--message", stuck.messageId])).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining("NOT_PENDING") });
    await new Promise((r) => setTimeout(r, 500));
    expect((await mailsTo(user.email)).filter((m) => /password was changed/.test(m.subject))).toHaveLength(1);
  });
});
