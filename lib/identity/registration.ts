import type { ClientInfo } from "#lib/caller";
import { createCredentials, deleteCredentials } from "#lib/clients/cognito";
import { config } from "#lib/config";
import { batchGet } from "#lib/data/batch";
import { codeKey } from "#lib/data/code";
import { claimWithGuards, type guardKey } from "#lib/data/guard";
import { ttlAfter } from "#lib/data/keys";
import { type TransactItem, TransactionCancelled, transactWrite } from "#lib/data/transactions";
import { consentKey, toConsentItem } from "#lib/data/consent";
import { fromUserItem, toUserItem, type UserRecord, userKey } from "#lib/data/user";
import { AppError, badRequest, conflict, serviceUnavailable, validationFailed } from "#lib/errors";
import { codeMessage, newCode, newCodeItem } from "#lib/identity/codes";
import { loginGuardKey } from "#lib/identity/lookup";
import { newUserRecord } from "#lib/identity/new-user";
import { normaliseEmail, normalisePhone, normaliseUsername, passwordProblems } from "#lib/identity/rules";
import { limitPerIp } from "#lib/limits/per-ip";
import { logger } from "#lib/logger";
import { type Channel, preferredChannel } from "#lib/notify/channels";
import { maskEmail, maskPhone } from "#lib/privacy/masks";

export interface Registration {
  username: string;
  email?: string;
  phone?: string;
  password: string;
  displayName?: string;
  consent: { privacyPolicyVersion: string; channel?: "APP" | "WEB" | "API" };
}

export interface RegistrationResult {
  userId: string;
  status: "PENDING_VERIFICATION";
  verification: { channel: Channel; destination: string };
}

type Guard = ReturnType<typeof guardKey>;
/** 409 naming the fields whose value is taken (the caller learns no more than the 409 itself says), so a form can show it beside the field. */
const accountExists = (fields: string[] = []) =>
  new AppError(409, "ACCOUNT_EXISTS", "Conflict", "An account with this username, email or phone already exists.", {
    errors: fields.map((field) => ({ path: `body.${field}`, message: `This ${field === "email" ? "e-mail" : field} is already taken.` })),
  });

/** The fields (username, email, phone, in guard order) whose guard refused the transaction. */
const takenFields = (error: TransactionCancelled, fields: string[]) => fields.filter((_, i) => error.reasons[1 + i] === "ConditionalCheckFailed");

/** The guards of an account (username, e-mail, phone), from what the user item stores. */
async function guardsOf(user: Pick<UserRecord, "username" | "emailHash" | "phoneHash">): Promise<Guard[]> {
  return [
    await loginGuardKey("username", normaliseUsername(user.username)),
    ...(user.emailHash ? [{ PK: `UNIQUE#EMAIL#${user.emailHash}`, SK: "UNIQUE" }] : []),
    ...(user.phoneHash ? [{ PK: `UNIQUE#PHONE#${user.phoneHash}`, SK: "UNIQUE" }] : []),
  ];
}

/**
 * Registers a user. Uniqueness of username, email and phone is claimed atomically with the user
 * item, the first code and its message (one transaction), so of N parallel registrations of one
 * email exactly one wins. An identifier held by an account that was never verified does not block
 * a registration: that pending account is replaced in the same transaction (its password, code
 * and guards die with it), so nobody can pre-register someone else's address and wait for them to
 * verify it; a pending account also expires by itself (PENDING_ACCOUNT_SECONDS). The password then
 * goes to Cognito; if that fails the claim is released and 503 says to try again.
 */
export async function register(input: Registration, client: Pick<ClientInfo, "ip">): Promise<RegistrationResult> {
  const c = config();
  if (input.consent.privacyPolicyVersion !== c.privacyPolicyVersion) {
    throw badRequest("CONSENT_OUTDATED", `Consent must be given to the current privacy policy version ${c.privacyPolicyVersion}.`, {
      currentVersion: c.privacyPolicyVersion,
    });
  }
  const problems = passwordProblems(input.password, input.username, "body.password");
  if (problems.length > 0) throw validationFailed(problems, "The password does not meet the policy.");
  await limitPerIp("REGISTER", client.ip);

  const email = input.email ? normaliseEmail(input.email) : undefined;
  const phone = input.phone ? normalisePhone(input.phone) : undefined;
  const now = new Date();
  const user = await newUserRecord({ username: input.username.trim(), displayName: input.displayName?.trim(), email, phone, status: "PENDING_VERIFICATION", consentVersion: input.consent.privacyPolicyVersion, consentChannel: input.consent.channel, now });
  const { userId } = user;
  const guards = await guardsOf(user);
  const guardFields = ["username", ...(email ? ["email"] : []), ...(phone ? ["phone"] : [])];
  const channel = preferredChannel(user);
  const code = newCode();
  const expires = { ttl: ttlAfter(c.pendingAccountSeconds, now.getTime()) };
  const message = await codeMessage(user, "VERIFY", channel, code, now.getTime());
  const created = async ({ holders, orphans }: Replaced): Promise<TransactItem[]> => [
    ...claimWithGuards({ ...toUserItem(user), ...expires }, guards, userId, { replacing: [...holders.map((u) => u.userId), ...orphans], extra: expires }),
    { Put: { TableName: c.tableName, Item: await newCodeItem(userId, "VERIFY", code, channel, now.getTime()) } },
    { Put: { TableName: c.tableName, Item: { ...toConsentItem(userId, { privacyPolicyVersion: user.consent.privacyPolicyVersion, at: user.consent.at, channel: user.consent.channel ?? "API" }), ...expires } } },
    message,
    ...(await Promise.all(holders.map((old) => removalOf(old, guards)))).flat(),
  ];

  let replaced: UserRecord[] = [];
  try {
    await transactWrite({ TransactItems: await created({ holders: [], orphans: [] }) });
  } catch (error) {
    if (!(error instanceof TransactionCancelled)) throw error;
    const found = await pendingHolders(error, guardFields);
    replaced = found.holders;
    try {
      await transactWrite({ TransactItems: await created(found) });
    } catch (again) {
      if (again instanceof TransactionCancelled) throw accountExists(takenFields(again, guardFields)); // verified meanwhile, or another registration won
      throw again;
    }
  }
  for (const old of replaced) await deleteCredentials(old.userId).catch((e: Error) => logger.warn("replaced account's credentials not deleted", { userId: old.userId, errorName: e.name }));

  try {
    await createCredentials(userId, input.password);
  } catch (error) {
    logger.error("credential creation failed; releasing the claim", { userId, errorName: (error as Error).name });
    await releaseClaim(userId, guards, { PK: message.Put.Item.PK, SK: message.Put.Item.SK }, user.consent.at).catch((e) => logger.error("claim release failed", { userId, errorName: (e as Error).name }));
    throw serviceUnavailable("We could not create the account right now; try again.");
  }
  return { userId, status: "PENDING_VERIFICATION", verification: { channel, destination: channel === "EMAIL" ? maskEmail(email ?? "") : maskPhone(phone ?? "") } };
}

/**
 * The accounts holding the refused guards, if every one of them is pending and older than
 * PENDING_REPLACE_AFTER_SECONDS (so of N parallel registrations of one address exactly one
 * succeeds); else 409, which says how to go on when the pending account is the caller's own.
 * A guard whose account no longer exists (TTL removes a pending account and its guards
 * independently, and late) is an orphan: it is simply taken over.
 */
async function pendingHolders(error: TransactionCancelled, guardFields: string[]): Promise<Replaced> {
  const guardCount = guardFields.length;
  const taken = takenFields(error, guardFields);
  // (a fresh user id cannot exist; and a claim that only ever conflicted with a concurrent one lost to it)
  if (error.reasons[0] === "ConditionalCheckFailed" || error.failedAt() === -1) throw accountExists(taken);
  // Guards are [username, e-mail?, phone?]: only a pending account holding the caller's e-mail or
  // phone gives way (its owner is whoever can read that address); a username alone is no claim on it.
  const holderOf = (i: number) => (typeof error.items[1 + i]?.userId === "string" ? (error.items[1 + i]?.userId as string) : undefined);
  const byAddress = new Set(Array.from({ length: guardCount - 1 }, (_, i) => holderOf(i + 1)).filter((id): id is string => id !== undefined));
  const byUsername = holderOf(0);
  const holderIds = [...new Set([...byAddress, ...(byUsername === undefined ? [] : [byUsername])])];
  const items = await batchGet(holderIds.map(userKey), { consistent: true });
  const found = holderIds.map((userId, i) => ({ userId, user: fromUserItem(items[i]) }));
  const orphans = found.filter((h) => !h.user).map((h) => h.userId);
  const holders = found.flatMap((h) => (h.user ? [h.user] : []));
  if (byUsername !== undefined && !orphans.includes(byUsername) && !byAddress.has(byUsername)) throw accountExists(taken);
  if (holders.some((h) => h.status !== "PENDING_VERIFICATION")) throw accountExists(taken);
  const youngest = Math.max(0, ...holders.map((h) => Date.parse(h.createdAt)));
  if (Date.now() - youngest < config().pendingReplaceAfterSeconds * 1000) {
    throw conflict("ACCOUNT_EXISTS", "A registration of this username, email or phone is waiting for verification: verify it with the code we sent (POST /auth/verify/resend sends a new one), or register again in a minute.");
  }
  return { holders, orphans };
}

interface Replaced {
  /** Pending accounts removed in the registering transaction. */
  holders: UserRecord[];
  /** Ids on guards whose account is already gone. */
  orphans: string[];
}

/** Transaction items that remove a pending account: itself (only if still pending), its code, and the guards the new account does not take over. */
async function removalOf(old: UserRecord, taken: Guard[]): Promise<TransactItem[]> {
  const TableName = config().tableName;
  const kept = new Set(taken.map((g) => g.PK));
  const freed = (await guardsOf(old)).filter((g) => !kept.has(g.PK));
  return [
    {
      Delete: {
        TableName,
        Key: userKey(old.userId),
        ConditionExpression: "#status = :pending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pending": "PENDING_VERIFICATION" },
      },
    },
    { Delete: { TableName, Key: codeKey(old.userId, "VERIFY") } },
    ...(old.consent?.at ? [{ Delete: { TableName, Key: consentKey(old.userId, old.consent.at) } }] : []),
    ...freed.map((Key) => ({ Delete: { TableName, Key, ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": old.userId } } })),
  ];
}

/** Undoes the claim, the code, the consent record and (if the sender has not taken it yet) its message. */
async function releaseClaim(userId: string, guards: Guard[], message: { PK: string; SK: string }, consentAt: string) {
  const TableName = config().tableName;
  await transactWrite({
    TransactItems: [
      { Delete: { TableName, Key: userKey(userId) } },
      { Delete: { TableName, Key: codeKey(userId, "VERIFY") } },
      { Delete: { TableName, Key: message } },
      { Delete: { TableName, Key: consentKey(userId, consentAt) } },
      ...guards.map((Key) => ({ Delete: { TableName, Key, ConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": userId } } })),
    ],
  });
}
