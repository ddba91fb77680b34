import fs from "node:fs";
import path from "node:path";
import { CreateQueueCommand, type CreateQueueCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { byType, constantCase, type CreatedResources, isIntrinsic, LOCAL_ACCOUNT_ID, LOCAL_CLIENT, LOCAL_REGION, type Props } from "../config";
import { httpAnswers } from "../net";
import { type Emulator, nodeModule } from "./emulator";

// local-aws-sqs: queues live in memory, so every start (and every restart) creates them all again.
// A restarted emulator also comes back with them at once (from <data>/sqs/queues.json): the
// consumers in serverless-offline keep polling and would crash it on QueueDoesNotExist.

/** local-aws-sqs is a library (no CLI): a few lines of node run it. */
const SERVER_SCRIPT = [
  "const [mod, options, queuesFile] = process.argv.slice(1);",
  "const fs = require('fs');",
  "const queues = fs.existsSync(queuesFile) ? JSON.parse(fs.readFileSync(queuesFile, 'utf8')) : [];",
  "require(mod).createSqsServer({ ...JSON.parse(options), queues })",
  "  .then(() => console.log('local-aws-sqs listening on ' + JSON.parse(options).port + ' with ' + queues.length + ' queues'))",
  "  .catch((e) => { console.error(e); process.exit(1); });",
].join("\n");

const queuesFile = (dataDir: string) => path.join(dataDir, "sqs", "queues.json");

// The attributes that change local behaviour; encryption settings are AWS-only.
const ATTRIBUTES = [
  "VisibilityTimeout",
  "MessageRetentionPeriod",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "MaximumMessageSize",
  "FifoQueue",
  "ContentBasedDeduplication",
];

export const sqs: Emulator = {
  name: "sqs",
  launch: (ctx) => {
    // The account id matches the ARNs that serverless.yml's redrive policies resolve to.
    const options = { port: ctx.port, hostname: ctx.host, accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION };
    // Launched once per stack start: last run's queues (serverless.yml may have changed) must not come back.
    fs.mkdirSync(path.dirname(queuesFile(ctx.dataDir)), { recursive: true });
    fs.rmSync(queuesFile(ctx.dataDir), { force: true });
    return {
      command: process.execPath,
      args: ["-e", SERVER_SCRIPT, nodeModule(ctx, "local-aws-sqs"), JSON.stringify(options), queuesFile(ctx.dataDir)],
      cwd: ctx.dataDir,
    };
  },
  ready: (ctx) => httpAnswers(ctx.url),
  createResources: async (config, ctx) => {
    const client = new SQSClient({ ...LOCAL_CLIENT, endpoint: ctx.url });
    const out: CreatedResources = { env: {}, created: [] };
    const queues = byType(config, "AWS::SQS::Queue").map(([logicalId, res]) => ({
      logicalId,
      props: res.Properties ?? {},
      name: String(res.Properties?.QueueName ?? ""),
    }));
    const nameOf = new Map(queues.map((q) => [q.logicalId, q.name]));
    const arnOf = (target: unknown): string => {
      if (typeof target === "string") return target;
      const getAtt = (target as Props | undefined)?.["Fn::GetAtt"];
      const name = nameOf.get(Array.isArray(getAtt) ? String(getAtt[0]) : "");
      if (!name) throw new Error(`local stack: cannot resolve deadLetterTargetArn ${JSON.stringify(target)}`);
      return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
    };

    const inputs: CreateQueueCommandInput[] = [];
    try {
      // Queues without a redrive policy (the DLQs) first: the emulator checks that a DLQ exists.
      const ordered = [...queues].sort((a, b) => Number(!!a.props.RedrivePolicy) - Number(!!b.props.RedrivePolicy));
      for (const q of ordered) {
        if (!q.name) throw new Error(`local stack: queue ${q.logicalId} has no QueueName`);
        const attributes: Record<string, string> = {};
        for (const key of ATTRIBUTES) {
          const value = q.props[key];
          if (value !== undefined && !isIntrinsic(value)) attributes[key] = String(value);
        }
        const redrive = q.props.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
        if (redrive) {
          attributes.RedrivePolicy = JSON.stringify({
            deadLetterTargetArn: arnOf(redrive.deadLetterTargetArn),
            maxReceiveCount: Number(redrive.maxReceiveCount ?? 1),
          });
        }
        inputs.push({ QueueName: q.name, Attributes: attributes });
        const url = (await client.send(new CreateQueueCommand({ QueueName: q.name, Attributes: attributes }))).QueueUrl;
        if (!url) throw new Error(`local stack: SQS emulator returned no URL for ${q.name}`);
        // Queues are always new (in memory), so they are not listed in out.created.
        out.env[`${constantCase(q.logicalId)}_URL`] = url;
      }
      fs.writeFileSync(queuesFile(ctx.dataDir), JSON.stringify(inputs));
    } finally {
      client.destroy();
    }
    return out;
  },
};
