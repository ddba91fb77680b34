import { randomUUID } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, inject, it } from "vitest";

// The stack that test/setup/global-setup.ts started, checked over real connections.
const { env, urls } = inject("stack");
const common = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const prefix = `${env.SERVICE_NAME}-${env.STAGE}`;

describe("local stack", () => {
  it("serves /health through serverless-offline", async () => {
    const res = await fetch(`${urls.api}/health`);
    expect(res.status).toBe(200);
  });

  it("has the table with GSI1, GSI2 and GSI3", async () => {
    const dynamodb = new DynamoDBClient({ ...common, endpoint: env.DYNAMODB_ENDPOINT });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));
    expect(Table?.TableName).toBe(`${prefix}`);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    expect((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(["GSI1", "GSI2", "GSI3"]);
  });

  it("has the user pool, its app client and the staff groups", async () => {
    const cognito = new CognitoIdentityProviderClient({ ...common, endpoint: env.COGNITO_ENDPOINT });
    const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: env.USER_POOL_ID }));
    expect(pool.UserPool?.Name).toBe(prefix);
    const client = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: env.USER_POOL_ID, ClientId: env.USER_POOL_CLIENT_ID }),
    );
    expect(client.UserPoolClient?.ClientName).toBe(`${prefix}-api`);
    expect(client.UserPoolClient?.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
    );
    const groups = await cognito.send(new ListGroupsCommand({ UserPoolId: env.USER_POOL_ID }));
    expect((groups.Groups ?? []).map((g) => g.GroupName).sort()).toEqual(["admin", "ops", "reviewer", "support"]);
  });

  it("has the documents bucket", async () => {
    const s3 = new S3Client({
      ...common,
      endpoint: env.S3_ENDPOINT,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      forcePathStyle: true,
    });
    expect(env.DOCUMENTS_BUCKET).toBe(`${prefix}-documents`);
    await expect(s3.send(new HeadBucketCommand({ Bucket: env.DOCUMENTS_BUCKET }))).resolves.toBeDefined();
  });

  it("has the queues, the main ones redriving to their DLQ", async () => {
    const sqs = new SQSClient({ ...common, endpoint: env.SQS_ENDPOINT });
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    const names = QueueUrls.map((u) => u.split("/").pop()).sort();
    expect(names).toEqual(
      [
        `${prefix}-analytics-dlq`,
        `${prefix}-behavior-events`,
        `${prefix}-behavior-events-dlq`,
        `${prefix}-credit-recompute`,
        `${prefix}-credit-recompute-dlq`,
        `${prefix}-incidents`,
        `${prefix}-incidents-dlq`,
        `${prefix}-outbox-dlq`,
      ].sort(),
    );
    for (const [queueUrl, dlqUrl, maxReceiveCount, visibility] of [
      // Visibility timeouts of the local stage (serverless.yml params): a failed message returns within seconds.
      [env.INCIDENTS_QUEUE_URL, env.INCIDENTS_DLQ_URL, 5, "10"],
      [env.BEHAVIOR_EVENTS_QUEUE_URL, env.BEHAVIOR_EVENTS_DLQ_URL, 5, "5"],
      [env.RECOMPUTE_QUEUE_URL, env.RECOMPUTE_DLQ_URL, 3, "60"],
    ] as const) {
      expect(QueueUrls).toContain(queueUrl);
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy", "VisibilityTimeout"] }),
      );
      const redrive = JSON.parse(Attributes?.RedrivePolicy ?? "{}");
      expect(redrive.deadLetterTargetArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${dlqUrl?.split("/").pop()}`);
      expect(Number(redrive.maxReceiveCount)).toBe(maxReceiveCount);
      expect(Attributes?.VisibilityTimeout).toBe(visibility);
    }
  });

  it("keeps mail sent through SES for GET /store", async () => {
    const ses = new SESv2Client({ ...common, endpoint: env.SES_ENDPOINT });
    const subject = `local stack check ${randomUUID()}`;
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "no-reply@example.com",
        Destination: { ToAddresses: ["someone@example.com"] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: "hello" } } } },
      }),
    );
    const store = (await (await fetch(`${urls.mail}/store`)).json()) as {
      emails: Array<{ subject: string; destination: { to: string[] } }>;
    };
    const mail = store.emails.find((m) => m.subject === subject);
    expect(mail?.destination.to).toEqual(["someone@example.com"]);
  });
});
