import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "#test/steps/eventually";
import { emulator } from "#test/steps/faults";
import { given } from "#test/steps/given";
import { outboxItemsOf } from "#test/steps/outbox";
import { table } from "#test/steps/table";
import { latestCode, mailsTo, smsTo } from "#test/steps/then";
import { when } from "#test/steps/when";

// Messages through the transactional outbox while the provider is down: the request does not wait
// on it, nothing is lost, and the message goes out by itself once the provider is back.

/** Every outbox item in the table, raw (what an attacker with a table dump would see). */
async function rawOutbox(): Promise<string> {
  const { client, name } = table();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start, FilterExpression: "entity = :o", ExpressionAttributeValues: { ":o": "OUTBOX" } }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

describe("outbox under provider outages", () => {
  afterAll(async () => {
    await emulator("ses").start();
    await emulator("sms").start();
  });

  it("registers while SES is down (201, no mail); the code arrives once SES is back, and the item keeps no parameters", async () => {
    await emulator("ses").stop();
    const user = await given.aRegisteredUser();
    const [pending] = await outboxItemsOf(user.userId);
    expect(pending).toMatchObject({ template: "VERIFICATION_CODE", payloadEnc: expect.any(String) });
    expect(["PENDING", "SENDING"]).toContain(pending?.status);
    const duringOutage = await rawOutbox();
    expect(duringOutage).not.toContain(user.email);

    await emulator("ses").start();
    const code = await latestCode(user.email, /code/i, { timeoutMs: 30_000 });
    expect(duringOutage).not.toContain(code); // the scan while it waited held no code in plain text
    expect((await when.verify(user.email, code)).status).toBe(200);
    const [delivered] = await eventually(() => outboxItemsOf(user.userId), ([i]) => i?.status === "DELIVERED", "the item delivered");
    expect(delivered).toMatchObject({ status: "DELIVERED", deliveredAt: expect.any(String) });
    expect(delivered?.payloadEnc).toBeUndefined();
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it("the same by SMS for a phone-only user while the SMS sink is down", async () => {
    await emulator("sms").stop();
    const phone = given.uniquePhone();
    const user = await given.aRegisteredUser({ email: undefined, phone });
    await new Promise((r) => setTimeout(r, 1500)); // a few failed tries while the sink is down
    expect(await smsTo(phone)).toHaveLength(0);
    const tried = await outboxItemsOf(user.userId);
    expect(Number(tried[0]?.attempts)).toBeGreaterThanOrEqual(1);
    expect(await rawOutbox()).not.toContain(phone);

    await emulator("sms").start();
    const code = await latestCode(phone, /code/i, { timeoutMs: 30_000 });
    expect((await when.verify(phone, code)).status).toBe(200);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it("answers a registration within a second while SES hangs (SIGSTOP), and mails the code after", async () => {
    const email = given.uniqueEmail("hang");
    await emulator("ses").pause();
    try {
      const started = performance.now();
      const res = await when.register(given.registration({ email }));
      const elapsed = performance.now() - started;
      expect(res.status, res.text).toBe(201);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await emulator("ses").resume();
    }
    expect(await latestCode(email, /code/i, { timeoutMs: 30_000 })).toMatch(/^\d{6}$/);
  });
});
