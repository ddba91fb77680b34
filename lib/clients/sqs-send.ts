import { AwsServiceError, signedFetch, withRetries } from "#lib/clients/aws-call";
import { config } from "#lib/config";

// Sending one SQS message without @aws-sdk/client-sqs (≈ 25 KB per bundle): the same AWS JSON
// protocol the SDK speaks (AmazonSQS.SendMessage), signed with SigV4 (lib/clients/sigv4.ts). For
// the functions that only ever send (the incidents consumer and routes); consumers that receive,
// delete or read attributes keep the SDK client in lib/clients/sqs.ts.

export interface SendOptions {
  delaySeconds?: number;
  attributes?: Record<string, string>;
}

/** The queue's service endpoint: the local emulator's, or the queue URL's own host on AWS. */
const endpointFor = (queueUrl: string) => new URL(config().endpoints.sqs ?? `${new URL(queueUrl).origin}/`);

/** Puts one message on a queue; retried when SQS is unavailable (a duplicate is harmless to our idempotent consumers). */
export async function sendToQueue(queueUrl: string, body: unknown, options: SendOptions = {}): Promise<void> {
  if (!queueUrl) throw new Error("the target queue URL is not configured");
  const input = {
    QueueUrl: queueUrl,
    MessageBody: typeof body === "string" ? body : JSON.stringify(body),
    ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
    ...(options.attributes && Object.keys(options.attributes).length > 0
      ? { MessageAttributes: Object.fromEntries(Object.entries(options.attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }])) }
      : {}),
  };
  await withRetries(async () => {
    const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage", "x-amzn-query-mode": "true" };
    const response = await signedFetch("sqs", endpointFor(queueUrl), { method: "POST", headers, body: JSON.stringify(input) });
    const text = await response.text();
    if (!response.ok) {
      const json = (text ? JSON.parse(text) : {}) as { __type?: string };
      const type = String(json.__type ?? response.headers.get("x-amzn-errortype") ?? "UnknownError");
      throw new AwsServiceError(type.split("#").pop()?.split(":")[0] ?? type, response.status);
    }
  }, true);
}
