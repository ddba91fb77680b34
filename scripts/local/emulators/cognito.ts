import fs from "node:fs";
import path from "node:path";
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
import { byType, constantCase, type CreatedResources, LOCAL_CLIENT, type Props, type ServerlessConfig, withoutIntrinsics } from "../config";
import { httpAnswers } from "../net";
import { type Emulator, nodeModule } from "./emulator";

// cognito-local: keeps its data in .cognito/ under its working directory (<data>/cognito), so pools
// survive a restart; createResources finds them and only adds what serverless.yml gained.

export const cognito: Emulator = {
  name: "cognito",
  launch: (ctx) => {
    const dir = path.join(ctx.dataDir, "cognito");
    // Its built-in default makes every new pool use e-mails as usernames; ours are opaque user
    // ids, as on AWS.
    fs.mkdirSync(path.join(dir, ".cognito"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".cognito", "config.json"), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
    return {
      command: process.execPath,
      args: [nodeModule(ctx, "cognito-local/lib/bin/start.js")],
      cwd: dir,
      env: { PORT: String(ctx.port), HOST: ctx.host },
    };
  },
  ready: (ctx) => httpAnswers(ctx.url),
  createResources: async (config, ctx) => {
    const client = new CognitoIdentityProviderClient({ ...LOCAL_CLIENT, endpoint: ctx.url });
    try {
      return await createUserPools(config, client);
    } finally {
      client.destroy();
    }
  },
};

async function createUserPools(config: ServerlessConfig, client: CognitoIdentityProviderClient): Promise<CreatedResources> {
  const out: CreatedResources = { env: {}, created: [] };
  const poolIds = new Map<string, string>(); // logical id -> pool id, to resolve { Ref: UserPool }

  for (const [logicalId, res] of byType(config, "AWS::Cognito::UserPool")) {
    const { UserPoolName, ...rest } = withoutIntrinsics(res.Properties ?? {});
    const poolName = String(UserPoolName ?? `${config.service}-${config.stage}`);
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

  for (const [logicalId, res] of byType(config, "AWS::Cognito::UserPoolClient")) {
    const poolId = poolOf(res.Properties);
    const props = withoutIntrinsics(res.Properties ?? {});
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
  for (const [, res] of byType(config, "AWS::Cognito::UserPoolGroup")) {
    const poolId = poolOf(res.Properties);
    const props = withoutIntrinsics(res.Properties ?? {});
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
  return out;
}

/** Every page of a paginated list call, until fn returns a hit or there is no next page. */
async function findInPages<T>(fetchPage: (next?: string) => Promise<{ hit?: T; next?: string }>): Promise<T | undefined> {
  let next: string | undefined;
  do {
    const page = await fetchPage(next);
    if (page.hit !== undefined) return page.hit;
    next = page.next;
  } while (next);
  return undefined;
}

const findUserPool = (client: CognitoIdentityProviderClient, name: string) =>
  findInPages(async (NextToken) => {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    return { hit: page.UserPools?.find((p) => p.Name === name)?.Id, next: page.NextToken };
  });

const findUserPoolClient = (client: CognitoIdentityProviderClient, poolId: string, name: string) =>
  findInPages(async (NextToken) => {
    const page = await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken }));
    return { hit: page.UserPoolClients?.find((c) => c.ClientName === name)?.ClientId, next: page.NextToken };
  });

async function listGroups(client: CognitoIdentityProviderClient, poolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  await findInPages(async (NextToken) => {
    const page = await client.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 60, NextToken }));
    for (const g of page.Groups ?? []) if (g.GroupName) names.add(g.GroupName);
    return { next: page.NextToken };
  });
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

// OIDC standard claims: everything else in a pool's Schema is a custom attribute.
const STANDARD_ATTRIBUTES = new Set(
  (
    "sub name given_name family_name middle_name nickname preferred_username profile picture website email " +
    "email_verified gender birthdate zoneinfo locale phone_number phone_number_verified address updated_at"
  ).split(" "),
);
