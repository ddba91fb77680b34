import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamodb, tableName } from "#lib/clients/dynamodb";
import { logger } from "#lib/logger";

// Temporary sign-in measures of incidents (CREDENTIAL_STUFFING): one item, PK/SK LOGIN_POLICY,
// with one attribute per incident and measure — `tighten#<incidentId>` (lower failure limits) and
// `block#<incidentId>` (client IP hashes refused outright), each with its end (`until`, epoch ms).
// A resolve removes its incident's attributes; an expired one is ignored. Every password check
// reads it, so each instance keeps it for CACHE_MS: a measure applies everywhere within seconds
// without a read per sign-in (and the item is no hot key).

export const ENTITY = "LOGIN_POLICY";
export const loginPolicyKey = () => ({ PK: "LOGIN_POLICY", SK: "LOGIN_POLICY" });
export const tightenAttribute = (incidentId: string) => `tighten#${incidentId}`;
export const blockAttribute = (incidentId: string) => `block#${incidentId}`;

export interface Tightening {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  until: number;
}

export interface IpBlock {
  /** lookupHash("IP", ip) of each address: raw addresses never sit in the table. */
  ipHashes: string[];
  until: number;
}

/** What applies now: the lowest limits of the live tightenings, and each blocked IP hash with its end. */
export interface LoginPolicy {
  maxFailuresPerAccount?: number;
  maxFailuresPerIp?: number;
  blockedIps: Map<string, number>;
}

const CACHE_MS = 5_000;
let cached: { at: number; item: Record<string, unknown> } | undefined;

/** The measures in force at `now`. Unreadable (throttled, no permission) means none: sign-in keeps its normal limits. */
export async function loginPolicy(now = Date.now()): Promise<LoginPolicy> {
  if (!cached || now - cached.at > CACHE_MS) {
    try {
      const out = await dynamodb.send(new GetCommand({ TableName: tableName(), Key: loginPolicyKey() }));
      cached = { at: now, item: out.Item ?? {} };
    } catch (error) {
      logger.warn("login policy not read; normal limits apply", { errorName: (error as Error).name });
      cached = { at: now, item: cached?.item ?? {} };
    }
  }
  return policyOf(cached.item, now);
}

export function policyOf(item: Record<string, unknown>, now: number): LoginPolicy {
  const policy: LoginPolicy = { blockedIps: new Map() };
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith("tighten#")) {
      const t = value as Tightening;
      if (t.until <= now) continue;
      policy.maxFailuresPerAccount = Math.min(policy.maxFailuresPerAccount ?? Infinity, t.maxFailuresPerAccount);
      policy.maxFailuresPerIp = Math.min(policy.maxFailuresPerIp ?? Infinity, t.maxFailuresPerIp);
    } else if (name.startsWith("block#")) {
      const b = value as IpBlock;
      if (b.until <= now) continue;
      for (const hash of b.ipHashes) policy.blockedIps.set(hash, Math.max(policy.blockedIps.get(hash) ?? 0, b.until));
    }
  }
  return policy;
}

/** Tests and the incident runbook (same process) see a change at once. */
export const forgetLoginPolicy = () => void (cached = undefined);

/** The UpdateItem input that puts one incident's measure on the policy item (idempotent: same value again). */
export const putMeasure = (attribute: string, measure: Tightening | IpBlock) => ({
  TableName: tableName(),
  Key: loginPolicyKey(),
  UpdateExpression: "SET entity = :entity, #measure = :measure",
  ExpressionAttributeNames: { "#measure": attribute },
  ExpressionAttributeValues: { ":entity": ENTITY, ":measure": measure },
});

/** The UpdateItem input that lifts an incident's measures (nothing to lift is fine). */
export const removeMeasures = (attributes: string[]) => ({
  TableName: tableName(),
  Key: loginPolicyKey(),
  UpdateExpression: `SET entity = :entity REMOVE ${attributes.map((_, i) => `#m${i}`).join(", ")}`,
  ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#m${i}`, a])),
  ExpressionAttributeValues: { ":entity": ENTITY },
});
