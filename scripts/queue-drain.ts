import { deleteMessage, pendingMessages, receiveMessages } from "#lib/clients/sqs";

// Local stage only (`npm run nightly`, the bench): works a fanned-out queue off with the workers'
// own code, like several concurrent worker Lambdas, until nothing is waiting or in flight, so the
// command returns when the run is finished. (serverless-offline-sqs may take some messages too.)
// On AWS the worker Lambdas do this; this code never ships in a bundle.

export async function drainQueue(url: string, process: (body: string) => Promise<void>, options: { workers?: number; timeoutMs?: number } = {}) {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60 * 1000);
  let processed = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const [message] = await receiveMessages(url, 1, 0);
      if (!message) {
        if ((await pendingMessages(url)) === 0) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      await process(message.body);
      await deleteMessage(url, message.receiptHandle);
      processed++;
    }
    throw new Error(`the queue ${url.split("/").pop()} was not drained in time`);
  };
  await Promise.all(Array.from({ length: options.workers ?? 8 }, worker));
  return processed;
}
