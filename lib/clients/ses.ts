import { AwsServiceError, signedFetch } from "#lib/clients/aws-call";
import { config } from "#lib/config";

// SES v2 SendEmail as one signed REST call (the sender is the only function that mails).

const endpoint = () => new URL(`${(config().endpoints.ses ?? `https://email.${config().region}.amazonaws.com`).replace(/\/$/, "")}/v2/email/outbound-emails`);

export async function sendEmail(to: string, subject: string, text: string): Promise<void> {
  const body = JSON.stringify({
    FromEmailAddress: config().mailFrom,
    Destination: { ToAddresses: [to] },
    Content: { Simple: { Subject: { Data: subject, Charset: "UTF-8" }, Body: { Text: { Data: text, Charset: "UTF-8" } } } },
  });
  const response = await signedFetch("ses", endpoint(), { method: "POST", headers: { "content-type": "application/json" }, body });
  if (response.ok) return void (await response.arrayBuffer());
  const type = response.headers.get("x-amzn-errortype") ?? String(((await response.json().catch(() => ({}))) as { __type?: string }).__type ?? "");
  throw new AwsServiceError(type.split(":")[0]?.split("#").pop() || `HTTP${response.status}`, response.status);
}
