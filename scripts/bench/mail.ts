// Verification codes from the SES emulator (aws-ses-v2-local): GET <mail>/store lists every mail.

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/**
 * The newest 6-digit code sent to each address. One read of the store for all users: asking per
 * user would fetch an ever-growing list N times.
 */
export async function latestCodes(mailUrl: string): Promise<Map<string, string>> {
  const res = await fetch(`${mailUrl}/store`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${mailUrl}/store answered ${res.status}`);
  const { emails } = (await res.json()) as { emails: StoredMail[] };
  const codes = new Map<string, string>();
  for (const mail of [...emails].sort((a, b) => a.at - b.at)) {
    const code = /\b(\d{6})\b/.exec(mail.body.text ?? "")?.[1];
    if (!code) continue;
    for (const to of mail.destination.to) codes.set(to.toLowerCase(), code);
  }
  return codes;
}
