import { lookupHash } from "#lib/crypto/fields";
import { type GuardKind, guardHolder, guardKey } from "#lib/data/guard";
import { classifyLogin, type LoginKind } from "#lib/identity/rules";

const GUARD_KIND: Record<LoginKind, GuardKind> = { username: "USERNAME", email: "EMAIL", phone: "PHONE" };

/** The uniqueness guard of a normalised identifier: its key holds only a keyed hash of the value. */
export async function loginGuardKey(kind: LoginKind, normalised: string) {
  const guard = GUARD_KIND[kind];
  return guardKey(guard, await lookupHash(guard, normalised));
}

/** Finds the user a login (username, email or phone) belongs to, or undefined. One read. */
export async function resolveLogin(login: string): Promise<{ userId?: string; kind: LoginKind; loginHash: string }> {
  const { kind, value } = classifyLogin(login);
  const key = await loginGuardKey(kind, value);
  return { userId: await guardHolder(key), kind, loginHash: key.PK };
}
