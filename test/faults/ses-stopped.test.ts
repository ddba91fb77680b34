import { randomUUID } from "node:crypto";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, describe, expect, inject, it } from "vitest";
import { emulator } from "#test/steps/faults";

// SES stopped on purpose: sends fail while it is down and work again once it is started.
const { env, urls } = inject("stack");
// One attempt: the failure should show at once, not after the SDK's retries.
const ses = new SESv2Client({ region: "us-east-1", endpoint: env.SES_ENDPOINT, credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
const mail = (subject: string) =>
  ses.send(
    new SendEmailCommand({
      FromEmailAddress: "no-reply@example.com",
      Destination: { ToAddresses: ["someone@example.com"] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: "hello" } } } },
    }),
  );

describe("SES stopped and started through the control server", () => {
  afterAll(async () => {
    await emulator("ses").start(); // whatever happened above, leave it running
    ses.destroy();
  });

  it("fails a send while stopped, and sends again once started", async () => {
    const before = await emulator("ses").status();
    await emulator("ses").stop();
    expect(await emulator("ses").status()).toMatchObject({ state: "stopped", pid: null });
    await expect(mail(`while stopped ${randomUUID()}`)).rejects.toThrow(/ECONNREFUSED|connect/i);

    await emulator("ses").start();
    // Started on request: not counted as a restart after a crash.
    expect(await emulator("ses").status()).toMatchObject({ state: "running", restarts: before.restarts });
    const subject = `after start ${randomUUID()}`;
    await expect(mail(subject)).resolves.toMatchObject({ MessageId: expect.any(String) });
    const store = (await (await fetch(`${urls.mail}/store`)).json()) as { emails: Array<{ subject: string }> };
    expect(store.emails.map((m) => m.subject)).toContain(subject);
  });
});
