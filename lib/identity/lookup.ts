import { lookupHash } from "#lib/crypto/fields";
import { type GuardKind, guardHolder, guardKey } from "#lib/data/guard";
import { classifyLogin, type LoginKind } from "#lib/identity/rules";

const GUARD_KIND: Record<LoginKind, GuardKind> = { username: "USERNAME", email: "EMAIL", phone: "PHONE" };

/** The uniqueness guard of a normalised identifier: its key holds only a keyed hash of the value. */
export async function loginGuardKey(kind: LoginKind, normalised: string) {
  const guard = GUARD_KIND[kind];
  return guardKey(guard, await lookupHash(guard, normalised));
}

/**
 * Finds the user a login (username, email or phone) belongs to, or undefined. One read. The
 * login's hash (its guard's key) stands for the login wherever it must be counted or answered for
 * without saying whether an account exists.
 */
export async function resolveLogin(login: string): Promise<{ userId?: string; kind: LoginKind; loginHash: string; guard: { PK: string; SK: string } }> {
  const { kind, value } = classifyLogin(login);
  const key = await loginGuardKey(kind, value);
  return { userId: await guardHolder(key), kind, loginHash: key.PK.slice("UNIQUE#".length), guard: key };
}
