import { AwsServiceError, signedFetch } from "#lib/clients/aws-call";
import { config } from "#lib/config";

// SMS through SNS Publish as one signed Query-protocol call (the sender is the only function that
// texts). Locally SNS_ENDPOINT is the stack's SMS sink, which answers the same call.

const endpoint = () => new URL(config().endpoints.sns ?? `https://sns.${config().region}.amazonaws.com/`);

export async function publishSms(phoneNumber: string, text: string): Promise<void> {
  const body = new URLSearchParams({
    Action: "Publish",
    Version: "2010-03-31",
    PhoneNumber: phoneNumber,
    Message: text,
    "MessageAttributes.entry.1.Name": "AWS.SNS.SMS.SMSType",
    "MessageAttributes.entry.1.Value.DataType": "String",
    "MessageAttributes.entry.1.Value.StringValue": "Transactional",
  }).toString();
  const response = await signedFetch("sns", endpoint(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body });
  const xml = await response.text();
  if (response.ok) return;
  throw new AwsServiceError(/<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? `HTTP${response.status}`, response.status);
}
