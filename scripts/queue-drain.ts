import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { deleteMessage, receiveMessages, sqs } from "#lib/clients/sqs";

// Local stage only (`npm run nightly`, the bench): works a fanned-out queue off with the workers'
// own code, like several concurrent worker Lambdas, until `done()` says the work it waits for is
// finished, so the command returns when the run is. (serverless-offline-sqs takes some messages
// too.) On AWS the worker Lambdas do this; this code never ships in a bundle.
//
// The deadline agrees with the queue's visibility timeout: a message taken by a consumer that died
// becomes visible again after it, and must still find the drain waiting. A message whose
// processing fails is left on the queue (it comes back after the visibility timeout, and is
// dead-lettered by the redrive policy after its last try).

export async function drainQueue(url: string, process: (body: string) => Promise<void>, done: () => Promise<boolean>, options: { workers?: number } = {}) {
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }));
  const visibilityMs = Number(attributes.Attributes?.VisibilityTimeout ?? 30) * 1000;
  const tries = Number(JSON.parse(attributes.Attributes?.RedrivePolicy ?? "{}").maxReceiveCount ?? 1);
  const deadline = Date.now() + visibilityMs * tries + 30_000;
  let processed = 0;
  let finished = false;
  const worker = async () => {
    while (!finished) {
      if (Date.now() > deadline) throw new Error(`the queue ${url.split("/").pop()} was not worked off within ${Math.round((visibilityMs * tries) / 1000) + 30} s`);
      const [message] = await receiveMessages(url, 1, 0);
      if (!message) {
        if (await done()) finished = true;
        else await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      try {
        await process(message.body);
        await deleteMessage(url, message.receiptHandle);
        processed++;
      } catch {
        // Left on the queue: retried after the visibility timeout, as SQS would with a Lambda.
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers ?? 8 }, worker));
  return processed;
}
