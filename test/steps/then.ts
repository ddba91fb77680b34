import { expect } from "vitest";
import type { HttpResponse } from "#test/steps/http";
import { http } from "#test/steps/http";
import { eventually } from "#test/steps/eventually";
import { apiUrl, stack } from "#test/steps/stack";

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Mails the SES emulator received for one address, oldest first. */
export async function mailsTo(address: string): Promise<StoredMail[]> {
  const res = await http<{ emails: StoredMail[] }>(stack().urls.mail, "GET", "/store");
  return res.body.emails.filter((m) => m.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

export async function smsTo(phone: string): Promise<{ to: string; text: string }[]> {
  const res = await http<{ items: { to: string; text: string }[] }>(apiUrl(), "GET", "/local/sms");
  return res.body.items.filter((m) => m.to === phone);
}

/** The 6-digit code in the newest mail (or SMS, for a phone number) sent to this address. */
export async function latestCode(address: string | undefined, subject = /code/i, timeoutMs = 3_000): Promise<string> {
  if (!address) throw new Error("no address");
  const newest = async () => {
    const messages = address.startsWith("+")
      ? (await smsTo(address)).map((m) => m.text)
      : (await mailsTo(address)).filter((m) => subject.test(m.subject)).map((m) => m.body.text ?? "");
    const last = messages.at(-1);
    return last ? /\b(\d{6})\b/.exec(last)?.[1] : undefined;
  };
  return (await eventually(newest, (code) => code !== undefined, `a code sent to ${address}`, timeoutMs, 100)) as string;
}

/** Asserts an RFC 9457 problem with the given status and code. */
export function expectProblem(res: HttpResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String), type: expect.any(String), requestId: expect.any(String) });
  expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/); // never a stack trace
}
