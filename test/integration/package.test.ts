import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `serverless package` must work offline, and the CloudFormation it produces must give every
// function only the AWS actions it uses.
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "sls-package-"));
let template: { Resources: Record<string, { Type: string; Properties: any }> };

const EXPECTED: Record<string, string[]> = {
  register: [
    "cognito-idp:SignUp",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "kms:Decrypt",
    "ses:SendEmail",
    "sns:Publish",
    "ssm:GetParameter",
  ],
  "get-me": ["dynamodb:BatchGetItem", "kms:Decrypt", "ssm:GetParameter"],
  "get-activity": ["dynamodb:BatchGetItem", "dynamodb:Query"],
  refresh: ["cognito-idp:InitiateAuth", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem"],
  nightly: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "sqs:SendMessage"],
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

  it("packages one zip per function", () => {
    for (const fn of ["register", "login", "get-me", "health", "nightly"]) expect(statSync(join(out, `${fn}.zip`)).size).toBeGreaterThan(0);
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

  it("gives public functions without AWS needs no extra permissions", () => {
    for (const fn of ["health", "openapi", "local-sms"]) expect(actionsOf(fn).actions).toEqual([]);
  });
});
