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

/** Waits for the mails to an address whose subject matches (mail leaves through the outbox, a moment later). */
export async function mailsMatching(address: string, subject: RegExp, count = 1, timeoutMs = 10_000): Promise<StoredMail[]> {
  return eventually(async () => (await mailsTo(address)).filter((m) => subject.test(m.subject)), (m) => m.length >= count, `${count} mail(s) "${subject.source}" to ${address}`, timeoutMs, 100);
}

export async function smsTo(phone: string): Promise<{ to: string; text: string }[]> {
  const res = await http<{ items: { to: string; text: string }[] }>(apiUrl(), "GET", "/local/sms");
  return res.body.items.filter((m) => m.to === phone);
}

/** The texts of the messages with a code sent to an address (mail subject matching, or SMS), oldest first. */
export async function codeMessages(address: string, subject = /code/i): Promise<string[]> {
  return address.startsWith("+")
    ? (await smsTo(address)).map((m) => m.text)
    : (await mailsTo(address)).filter((m) => subject.test(m.subject)).map((m) => m.body.text ?? "");
}

/**
 * The 6-digit code in the newest mail (or SMS, for a phone number) sent to this address. Messages
 * leave through the outbox, so they arrive a moment after the request: `after` is how many code
 * messages were there before (a resend's code is the one after them).
 */
export async function latestCode(address: string | undefined, subject = /code/i, options: { after?: number; timeoutMs?: number } = {}): Promise<string> {
  if (!address) throw new Error("no address");
  const messages = await eventually(() => codeMessages(address, subject), (m) => m.length > (options.after ?? 0), `a code sent to ${address}`, options.timeoutMs ?? 10_000, 100);
  const code = /\b(\d{6})\b/.exec(messages.at(-1) ?? "")?.[1];
  if (!code) throw new Error(`the newest message to ${address} holds no code`);
  return code;
}

/** Asserts an RFC 9457 problem with the given status and code. */
export function expectProblem(res: HttpResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String), type: expect.any(String), requestId: expect.any(String) });
  expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/); // never a stack trace
}
