import fs from "node:fs";
import {
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  type CreateGroupCommandInput,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type SchemaAttributeType,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { type CORSRule, CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parse } from "yaml";

// Creates what serverless.yml's `resources` section declares, on the emulators. The file stays the
// single source of truth: a table, queue or group added there appears locally on the next start.
// Every step is idempotent, so it also runs over the data a persistent stack kept from last time.

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT_ID = "000000000000";

export interface Endpoints {
  dynamodb: string;
  cognito: string;
  sqs: string;
  s3: string;
}

type Json = unknown;
type Props = Record<string, Json>;
interface CfnResource {
  Type: string;
  Properties?: Props;
}

export interface ServerlessFile {
  service: string;
  stage: string;
  resources: Record<string, CfnResource>;
  /** Resolves serverless variables (`${self:service}`, `${sls:stage}`, `${self:custom.x}`...) in a value. */
  resolve<T>(value: T): T;
}

/** Reads serverless.yml and resolves the few serverless variables that resource names use. */
export function readServerlessFile(file: string, stage: string): ServerlessFile {
  // logLevel "error": CloudFormation short tags (!Ref, !GetAtt) are not needed here; don't warn about them.
  const doc = (parse(fs.readFileSync(file, "utf8"), { logLevel: "error" }) ?? {}) as Record<string, Json>;
  const serviceField = doc.service;
  const service = typeof serviceField === "string" ? serviceField : String((serviceField as Props | undefined)?.name ?? "");
  if (!service) throw new Error(`${file}: no service name`);
  const resources = ((doc.resources as Props | undefined)?.Resources ?? {}) as Record<string, CfnResource>;

  const lookup = (root: Json, dotted: string): Json =>
    dotted.split(".").reduce<Json>((node, key) => (node && typeof node === "object" ? (node as Props)[key] : undefined), root);

  const resolveString = (text: string, depth = 0): string => {
    if (depth > 10) throw new Error(`${file}: serverless variables nest too deep in "${text}"`);
    let out = text;
    // Innermost `${...}` first, until none is left.
    for (let guard = 0; guard < 50 && out.includes("${"); guard++) {
      const next = out.replace(/\$\{([^{}]+)\}/, (whole, expr: string) => resolveExpr(whole, expr, depth));
      if (next === out) break;
      out = next;
    }
    return out;
  };

  const resolveExpr = (whole: string, expr: string, depth: number): string => {
    const [source = "", ...fallbacks] = expr.split(",").map((s) => s.trim());
    const fallback = fallbacks.length ? fallbacks.join(",").replace(/^['"]|['"]$/g, "") : undefined;
    let value: Json;
    if (source === "self:service") value = service;
    else if (["sls:stage", "opt:stage", "self:provider.stage"].includes(source)) value = stage;
    else if (["aws:region", "opt:region", "self:provider.region"].includes(source)) value = LOCAL_REGION;
    else if (source.startsWith("self:")) value = lookup(doc, source.slice(5));
    else if (source.startsWith("param:")) {
      const params = doc.params as Props | undefined;
      value = lookup(params?.[stage], source.slice(6)) ?? lookup(params?.default, source.slice(6));
    } else if (source.startsWith("env:")) value = process.env[source.slice(4)];
    if ((value === undefined || value === "") && fallback !== undefined) value = fallback;
    if (typeof value === "string") return resolveString(value, depth + 1);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new Error(`${file}: the local stack cannot resolve ${whole}`);
  };

  const resolve = <T>(value: T): T => {
    if (typeof value === "string") return resolveString(value) as T;
    if (Array.isArray(value)) return value.map((v) => resolve(v)) as T;
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value as Props).map(([k, v]) => [k, resolve(v)])) as T;
    }
    return value;
  };

  return { service, stage, resources, resolve };
}

/** FooBarQueue -> FOO_BAR_QUEUE: how logical ids become env names. */
export function constantCase(logicalId: string): string {
  return logicalId
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

const isIntrinsic = (v: Json) =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).some((k) => k === "Ref" || k.startsWith("Fn::"));

/** Drops CloudFormation references (Ref, Fn::GetAtt...): on the emulators we wire those up ourselves. */
function withoutIntrinsics(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => !isIntrinsic(v)));
}

const byType = (file: ServerlessFile, type: string) =>
  Object.entries(file.resources).filter(([, r]) => r?.Type === type) as Array<[string, CfnResource]>;

const errorName = (error: unknown) => (error as { name?: string })?.name ?? "";

export interface CreatedResources {
  /** Env entries: TABLE_NAME, DOCUMENTS_BUCKET, USER_POOL_ID, USER_POOL_CLIENT_ID, <QUEUE>_URL... */
  env: Record<string, string>;
  /** What was created (vs. found), for the start-up log. */
  created: string[];
}

export async function createResources(file: ServerlessFile, endpoints: Endpoints): Promise<CreatedResources> {
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const common = { region: LOCAL_REGION, credentials, maxAttempts: 2 };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  const cognito = new CognitoIdentityProviderClient({ ...common, endpoint: endpoints.cognito });
  const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
  // s3rver only accepts its own access key; the checksum setting keeps streamed uploads intact.
  const s3 = new S3Client({
    ...common,
    endpoint: endpoints.s3,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const out: CreatedResources = { env: {}, created: [] };
  try {
    // Independent services: create in parallel.
    await Promise.all([
      createTables(file, dynamodb, out),
      createUserPools(file, cognito, out),
      createQueues(file, sqs, out),
      createBuckets(file, s3, out),
    ]);
  } finally {
    for (const client of [dynamodb, cognito, sqs, s3]) client.destroy();
  }
  return out;
}

// ---------------------------------------------------------------- DynamoDB

async function createTables(file: ServerlessFile, client: DynamoDBClient, out: CreatedResources) {
  for (const [logicalId, res] of byType(file, "AWS::DynamoDB::Table")) {
    const p = file.resolve(res.Properties ?? {}) as Props;
    const tableName = String(p.TableName);
    const billingMode = (p.BillingMode as CreateTableCommandInput["BillingMode"]) ?? "PROVISIONED";
    const provisioned = billingMode === "PROVISIONED";
    const throughput = (p.ProvisionedThroughput as CreateTableCommandInput["ProvisionedThroughput"]) ?? {
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 5,
    };
    const gsis = ((p.GlobalSecondaryIndexes as GlobalSecondaryIndex[] | undefined) ?? []).map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ...(provisioned ? { ProvisionedThroughput: g.ProvisionedThroughput ?? throughput } : {}),
    }));
    const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
    // PITR, SSE and TTL are AWS concerns; DynamoDB Local neither needs nor enforces them.
    const input: CreateTableCommandInput = {
      TableName: tableName,
      AttributeDefinitions: p.AttributeDefinitions as AttributeDefinition[],
      KeySchema: p.KeySchema as CreateTableCommandInput["KeySchema"],
      BillingMode: billingMode,
      ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
      ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(p.LocalSecondaryIndexes
        ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes as CreateTableCommandInput["LocalSecondaryIndexes"] }
        : {}),
      ...(stream?.StreamViewType
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType as "NEW_AND_OLD_IMAGES" } }
        : {}),
    };

    const table = await describeTable(client, tableName);
    if (!table) {
      await client.send(new CreateTableCommand(input));
      out.created.push(`table ${tableName}`);
    } else {
      // A table kept from an earlier start: add any index serverless.yml gained since (one per call,
      // as on AWS).
      const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
      for (const gsi of gsis.filter((g) => !existing.has(g.IndexName))) {
        await client.send(
          new UpdateTableCommand({
            TableName: tableName,
            AttributeDefinitions: input.AttributeDefinitions,
            GlobalSecondaryIndexUpdates: [{ Create: gsi }],
          }),
        );
        out.created.push(`index ${tableName}.${gsi.IndexName}`);
        await waitActive(client, tableName);
      }
    }
    await waitActive(client, tableName);
    out.env[logicalId === "Table" ? "TABLE_NAME" : `${constantCase(logicalId)}_NAME`] = tableName;
  }
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (errorName(error) === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const table = await describeTable(client, tableName);
    const active = table?.TableStatus === "ACTIVE" && (table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE");
    if (table && active) return table;
    if (Date.now() > deadline) throw new Error(`local stack: table ${tableName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------- Cognito

async function createUserPools(file: ServerlessFile, client: CognitoIdentityProviderClient, out: CreatedResources) {
  const poolIds = new Map<string, string>(); // logical id -> pool id, to resolve { Ref: UserPool }

  for (const [logicalId, res] of byType(file, "AWS::Cognito::UserPool")) {
    const { UserPoolName, ...rest } = file.resolve(withoutIntrinsics(res.Properties ?? {}));
    const poolName = String(UserPoolName ?? `${file.service}-${file.stage}`);
    let poolId = await findUserPool(client, poolName);
    if (!poolId) {
      const input = { ...rest, PoolName: poolName } as CreateUserPoolCommandInput;
      poolId = (await client.send(new CreateUserPoolCommand(input))).UserPool?.Id;
      if (!poolId) throw new Error(`local stack: cognito-local returned no id for pool ${poolName}`);
      out.created.push(`user pool ${poolName} (${poolId})`);
    } else {
      await addMissingCustomAttributes(client, poolId, (rest.Schema as SchemaAttributeType[] | undefined) ?? []);
    }
    poolIds.set(logicalId, poolId);
    out.env[`${constantCase(logicalId)}_ID`] = poolId;
  }

  const poolOf = (props: Props | undefined) => {
    const ref = (props?.UserPoolId as { Ref?: string } | undefined)?.Ref;
    const id = ref ? poolIds.get(ref) : undefined;
    if (!id) throw new Error(`local stack: UserPoolId of a Cognito resource must be { Ref: <a UserPool in serverless.yml> }`);
    return id;
  };

  for (const [logicalId, res] of byType(file, "AWS::Cognito::UserPoolClient")) {
    const poolId = poolOf(res.Properties);
    const props = file.resolve(withoutIntrinsics(res.Properties ?? {}));
    const clientName = String(props.ClientName);
    const input = { ...props, UserPoolId: poolId, ClientName: clientName } as CreateUserPoolClientCommandInput;
    let clientId = await findUserPoolClient(client, poolId, clientName);
    if (!clientId) {
      clientId = (await client.send(new CreateUserPoolClientCommand(input))).UserPoolClient?.ClientId;
      if (!clientId) throw new Error(`local stack: cognito-local returned no id for client ${clientName}`);
      out.created.push(`app client ${clientName} (${clientId})`);
    } else {
      // Keep a kept client in line with serverless.yml (auth flows, token validity).
      const { GenerateSecret: _secret, ...updatable } = input;
      await client.send(new UpdateUserPoolClientCommand({ ...updatable, ClientId: clientId }));
    }
    out.env[`${constantCase(logicalId)}_ID`] = clientId;
  }

  const groupsByPool = new Map<string, Set<string>>();
  for (const [, res] of byType(file, "AWS::Cognito::UserPoolGroup")) {
    const poolId = poolOf(res.Properties);
    const props = file.resolve(withoutIntrinsics(res.Properties ?? {}));
    let existing = groupsByPool.get(poolId);
    if (!existing) {
      existing = await listGroups(client, poolId);
      groupsByPool.set(poolId, existing);
    }
    const groupName = String(props.GroupName);
    if (existing.has(groupName)) continue;
    await client.send(new CreateGroupCommand({ ...props, UserPoolId: poolId, GroupName: groupName } as CreateGroupCommandInput));
    existing.add(groupName);
    out.created.push(`group ${groupName}`);
  }
}

async function findUserPool(client: CognitoIdentityProviderClient, name: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    const found = page.UserPools?.find((p) => p.Name === name);
    if (found?.Id) return found.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function findUserPoolClient(client: CognitoIdentityProviderClient, poolId: string, name: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken }));
    const found = page.UserPoolClients?.find((c) => c.ClientName === name);
    if (found?.ClientId) return found.ClientId;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function listGroups(client: CognitoIdentityProviderClient, poolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 60, NextToken }));
    for (const g of page.Groups ?? []) if (g.GroupName) names.add(g.GroupName);
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

/** A custom attribute added to serverless.yml after the pool was created locally. */
async function addMissingCustomAttributes(client: CognitoIdentityProviderClient, poolId: string, schema: SchemaAttributeType[]) {
  const custom = schema.filter((a) => a.Name && !STANDARD_ATTRIBUTES.has(a.Name));
  if (custom.length === 0) return;
  const pool = (await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
  const have = new Set((pool?.SchemaAttributes ?? []).map((a) => a.Name));
  const missing = custom.filter((a) => !have.has(`custom:${a.Name}`));
  if (missing.length) await client.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: missing }));
}

const STANDARD_ATTRIBUTES = new Set([
  "sub",
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "email_verified",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "phone_number",
  "phone_number_verified",
  "address",
  "updated_at",
]);

// ---------------------------------------------------------------- SQS

async function createQueues(file: ServerlessFile, client: SQSClient, out: CreatedResources) {
  const queues = byType(file, "AWS::SQS::Queue").map(([logicalId, res]) => ({
    logicalId,
    props: res.Properties ?? {},
    name: String(file.resolve(res.Properties?.QueueName ?? "")),
  }));
  const nameOf = new Map(queues.map((q) => [q.logicalId, q.name]));
  const arnOf = (target: Json): string => {
    if (typeof target === "string") return file.resolve(target);
    const getAtt = (target as Props | undefined)?.["Fn::GetAtt"];
    const logicalId = Array.isArray(getAtt) ? String(getAtt[0]) : "";
    const name = nameOf.get(logicalId);
    if (!name) throw new Error(`local stack: cannot resolve deadLetterTargetArn ${JSON.stringify(target)}`);
    return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
  };

  // Queues without a redrive policy (the DLQs) first: the emulator checks that a DLQ exists.
  const ordered = [...queues].sort((a, b) => Number(!!a.props.RedrivePolicy) - Number(!!b.props.RedrivePolicy));
  for (const q of ordered) {
    if (!q.name) throw new Error(`local stack: queue ${q.logicalId} has no QueueName`);
    const attributes: Record<string, string> = {};
    // The attributes that change local behaviour; encryption settings are AWS-only.
    for (const key of [
      "VisibilityTimeout",
      "MessageRetentionPeriod",
      "DelaySeconds",
      "ReceiveMessageWaitTimeSeconds",
      "MaximumMessageSize",
      "FifoQueue",
      "ContentBasedDeduplication",
    ]) {
      const value = q.props[key];
      if (value !== undefined && !isIntrinsic(value)) attributes[key] = String(file.resolve(value));
    }
    const redrive = q.props.RedrivePolicy as { deadLetterTargetArn?: Json; maxReceiveCount?: Json } | undefined;
    if (redrive) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: arnOf(redrive.deadLetterTargetArn),
        maxReceiveCount: Number(file.resolve(redrive.maxReceiveCount ?? 1)),
      });
    }
    const url = (await client.send(new CreateQueueCommand({ QueueName: q.name, Attributes: attributes }))).QueueUrl;
    if (!url) throw new Error(`local stack: SQS emulator returned no URL for ${q.name}`);
    out.env[`${constantCase(q.logicalId)}_URL`] = url;
  }
}

// ---------------------------------------------------------------- S3

async function createBuckets(file: ServerlessFile, client: S3Client, out: CreatedResources) {
  for (const [logicalId, res] of byType(file, "AWS::S3::Bucket")) {
    const props = file.resolve(withoutIntrinsics(res.Properties ?? {}));
    const bucket = String(props.BucketName);
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (!["NotFound", "NoSuchBucket"].includes(errorName(error))) throw error;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      out.created.push(`bucket ${bucket}`);
    }
    // Browser uploads with presigned URLs need the bucket's CORS rules locally as well.
    const cors = (props.CorsConfiguration as { CorsRules?: Props[] } | undefined)?.CorsRules;
    if (cors?.length) {
      const rules: CORSRule[] = cors.map((r) => ({
        ID: r.Id as string | undefined,
        AllowedHeaders: r.AllowedHeaders as string[] | undefined,
        AllowedMethods: r.AllowedMethods as string[],
        AllowedOrigins: r.AllowedOrigins as string[],
        ExposeHeaders: r.ExposedHeaders as string[] | undefined,
        MaxAgeSeconds: r.MaxAge as number | undefined,
      }));
      await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
    }
    out.env[constantCase(logicalId)] = bucket;
  }
}
