import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFunctions } from "../../scripts/bench/functions";

// `serverless package` must work offline, and the CloudFormation it produces must give every
// function only the AWS actions it uses.
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "sls-package-"));
let template: { Resources: Record<string, { Type: string; Properties: any }> };

const EXPECTED: Record<string, string[]> = {
  // No request function sends mail or SMS itself: messages leave through the outbox.
  register: ["cognito-idp:SignUp", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "kms:Decrypt", "ssm:GetParameter"],
  "send-messages": [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
    "dynamodb:PartiQLUpdate",
    "kms:Decrypt",
    "ses:SendEmail",
    "sns:Publish",
    "sqs:SendMessage",
    "ssm:GetParameter",
  ],
  "get-me": ["dynamodb:BatchGetItem", "kms:Decrypt", "ssm:GetParameter"],
  "get-activity": ["dynamodb:BatchGetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"],
  refresh: ["cognito-idp:InitiateAuth", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt", "ssm:GetParameter"],
  nightly: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "kms:Decrypt", "sqs:SendMessage", "ssm:GetParameter"],
  "submit-document": ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Decrypt", "s3:DeleteObject", "s3:GetObject", "s3:PutObject", "ssm:GetParameter"],
  "get-review": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "s3:GetObject", "ssm:GetParameter"],
  // Staff changes: the user, its audit entry and the user's mail in one transaction; no deletes.
  "admin-set-status": ["cognito-idp:AdminUserGlobalSignOut", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Decrypt", "ssm:GetParameter"],
  "admin-change-permissions": ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Decrypt", "ssm:GetParameter"],
  // The figures are read from the counters' shards only; the counters are written only by the stream consumer.
  "admin-analytics": ["dynamodb:BatchGetItem"],
  "analytics-stream": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "dynamodb:PutItem", "dynamodb:UpdateItem", "sqs:SendMessage"],
  // Privacy (issue 16): the export reads and decrypts, writes only its audit entry; the request
  // checks the password and writes one transaction; only the worker deletes the Cognito user and images.
  "export-data": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"],
  "delete-account": [
    "cognito-idp:InitiateAuth",
    "cognito-idp:RevokeToken",
    "dynamodb:BatchGetItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "kms:Decrypt",
    "ssm:GetParameter",
  ],
  "process-deletions": [
    "cognito-idp:AdminDeleteUser",
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeStream",
    "dynamodb:GetItem",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
    "s3:DeleteObject",
    "s3:ListBucket",
  ],
  "admin-get-deletion": ["dynamodb:BatchGetItem", "dynamodb:GetItem"],
  "admin-resume-deletion": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
  // The staff console's user page (issue 18): reads only, plus the audit entry of an unmasked read;
  // the data keys sign the cursors.
  "admin-get-user-activity": ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"],
  "admin-get-user-rewards": ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"],
  "admin-list-user-documents": ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"],
  "admin-list-user-complaints": ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"],
};

function actionsOf(functionName: string): { actions: string[]; resources: unknown[] } {
  const fn = Object.values(template.Resources).find(
    (r) => r.Type === "AWS::Lambda::Function" && r.Properties.FunctionName.endsWith(`-${functionName}`),
  );
  const roleId = fn?.Properties.Role?.["Fn::GetAtt"]?.[0] as string;
  const statements = (template.Resources[roleId]?.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const own = statements.filter((s: any) => ![].concat(s.Action).every((a: string) => a.startsWith("logs:")));
  return {
    actions: [...new Set(own.flatMap((s: any) => [].concat(s.Action)))].sort() as string[],
    resources: own.flatMap((s: any) => s.Resource),
  };
}

/** Every function's bundle, minified (README: performance targets; `npm run bench` reports the sizes). */
const MAX_BUNDLE_KB = 300;

/** What a function finds in its environment, with endpoints nobody listens on (nothing is called at load). */
const lambdaLikeEnv = (name: string) => ({
  PATH: process.env.PATH,
  STAGE: "local",
  TABLE_NAME: "t",
  USER_POOL_ID: "local_x",
  USER_POOL_CLIENT_ID: "c",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  AWS_LAMBDA_FUNCTION_NAME: name,
  POWERTOOLS_LOG_LEVEL: "SILENT",
  DYNAMODB_ENDPOINT: "http://127.0.0.1:1",
});

describe("serverless package (offline)", () => {
  beforeAll(async () => {
    // serverless-esbuild joins the work folder onto the project dir: give it a relative path that
    // leads out of the project, or a running serverless-offline would see the files and rebuild.
    await run("node", ["node_modules/serverless/bin/serverless.js", "package", "--stage", "prod", "--package", out], {
      env: { ...process.env, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", ESBUILD_WORK_FOLDER: relative(process.cwd(), join(out, ".esbuild")) },
      timeout: 240_000,
    });
    template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"));
  }, 250_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("packages every function as a zip whose bundled handler loads, exports its handler and weighs at most 300 KB", async () => {
    const functions = readFunctions(process.cwd());
    expect(functions.length).toBeGreaterThan(20);
    const extracted = join(out, "extracted");
    for (const fn of functions) {
      const zip = await JSZip.loadAsync(readFileSync(join(out, `${fn.name}.zip`)));
      const entry = `${relative(process.cwd(), fn.entry).replace(/\.ts$/, ".js")}`;
      const file = zip.file(entry);
      expect(file, `${fn.name}.zip holds ${entry}`).not.toBeNull();
      const target = join(extracted, fn.name, entry);
      mkdirSync(dirname(target), { recursive: true });
      const bundle = await (file as JSZip.JSZipObject).async("nodebuffer");
      expect(bundle.byteLength / 1024, `${fn.name}: KB minified`).toBeLessThanOrEqual(MAX_BUNDLE_KB);
      writeFileSync(target, bundle);
      // A fresh node with a plausible environment: the bundle must be self-contained and export the handler.
      const probe = `const m = require(${JSON.stringify(target)}); if (typeof m[${JSON.stringify(fn.exportName)}] !== "function") { console.error("no handler"); process.exit(3); }`;
      await expect(run("node", ["-e", probe], { env: lambdaLikeEnv(fn.name), timeout: 20_000 }), fn.name).resolves.toBeDefined();
    }
  }, 120_000);

  it("lets every function whose bundle reads the data keys (PII, lookups, signed cursors) read them", async () => {
    const missing: string[] = [];
    for (const fn of readFunctions(process.cwd())) {
      const zip = await JSZip.loadAsync(readFileSync(join(out, `${fn.name}.zip`)));
      const bundle = await (zip.file(`${relative(process.cwd(), fn.entry).replace(/\.ts$/, ".js")}`) as JSZip.JSZipObject).async("string");
      if (!bundle.includes("/systemsmanager/parameters/get")) continue;
      const { actions } = actionsOf(fn.name);
      if (!actions.includes("ssm:GetParameter") || !actions.includes("kms:Decrypt")) missing.push(fn.name);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))("grants %s only the actions it uses", (fn, actions) => {
    expect(actionsOf(fn).actions).toEqual(actions);
  });

  it("never grants wildcards on the table, the pool or the keys", () => {
    const roles = Object.values(template.Resources).filter((r) => r.Type === "AWS::IAM::Role");
    const statements = roles.flatMap((r) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
    for (const s of statements) {
      for (const action of [].concat(s.Action) as string[]) expect(action).not.toMatch(/^(dynamodb|cognito-idp|kms|ssm):\*$|^\*$/);
      if ([].concat(s.Action).some((a: string) => a.startsWith("dynamodb:"))) expect(JSON.stringify(s.Resource)).toContain("Table");
    }
  });

  it("lets only the outbox sender send mail or SMS", () => {
    const senders = readFunctions(process.cwd())
      .map((fn) => fn.name)
      .filter((name) => actionsOf(name).actions.some((a) => a === "ses:SendEmail" || a === "sns:Publish"));
    expect(senders).toEqual(["send-messages"]);
  });

  it("throttles every route at the gateway with the values the handlers describe in RateLimit-Policy", () => {
    expect(template.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    // The same params reach every function's environment (lib/config.ts apiThrottle → lib/http/rate-limit.ts).
    const register = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function" && r.Properties.FunctionName.endsWith("-register"));
    const variables = register?.Properties.Environment.Variables;
    expect([String(variables.API_THROTTLE_RATE), String(variables.API_THROTTLE_BURST)]).toEqual(["50", "100"]);
  });

  it("alarms ops on the nightly job's errors and on every dead-letter queue", () => {
    const resources = Object.entries(template.Resources);
    const alarms = resources.filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm").map(([, r]) => r.Properties);
    const watches = (dimension: unknown) => alarms.filter((a) => JSON.stringify(a.Dimensions) === JSON.stringify([dimension]));
    const dlqs = resources.filter(([, r]) => r.Type === "AWS::SQS::Queue" && String(r.Properties.QueueName).endsWith("-dlq")).map(([id]) => id);
    expect(dlqs.length).toBeGreaterThanOrEqual(3);
    for (const dlq of dlqs) {
      expect(watches({ Name: "QueueName", Value: { "Fn::GetAtt": [dlq, "QueueName"] } }), `alarm on ${dlq}`).toHaveLength(1);
    }
    const [nightly] = watches({ Name: "FunctionName", Value: { Ref: "NightlyLambdaFunction" } });
    expect(nightly).toMatchObject({ Namespace: "AWS/Lambda", MetricName: "Errors", Threshold: 1 });
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: "OpsAlarmsTopic" }]);
  });

  it("serves the web app from a private bucket through CloudFront, with the pages' paths mapped to index.html", () => {
    const byType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
    const web = template.Resources.WebBucket?.Properties;
    expect(web.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const [[, distribution] = []] = byType("AWS::CloudFront::Distribution");
    const config = distribution?.Properties.DistributionConfig;
    expect(config.Origins[0].DomainName).toEqual({ "Fn::GetAtt": ["WebBucket", "RegionalDomainName"] });
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe("redirect-to-https");
    // Only CloudFront (this distribution) may read the bucket.
    const policy = template.Resources.WebBucketPolicy?.Properties.PolicyDocument.Statement[0];
    expect(policy).toMatchObject({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" });
    // The rewrite function: a page path becomes /index.html, a file path is left alone.
    const [[, fn] = []] = byType("AWS::CloudFront::Function");
    const handler = new Function(`${fn?.Properties.FunctionCode}; return handler;`)() as (e: unknown) => { uri: string };
    expect(handler({ request: { uri: "/account/credit" } }).uri).toBe("/index.html");
    expect(handler({ request: { uri: "/assets/index-abc.js" } }).uri).toBe("/assets/index-abc.js");
    const headers = template.Resources.WebSecurityHeaders?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(JSON.stringify(headers.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
  });

  it("gives public functions without AWS needs no extra permissions", () => {
    for (const fn of ["health", "openapi", "local-sms"]) expect(actionsOf(fn).actions).toEqual([]);
  });
});
