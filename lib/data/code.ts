import { userPk } from "#lib/data/keys";

// One-time codes (verification, password reset): one item per user and purpose, holding only a
// keyed hash of the code. A login that has no code of its own (unknown, or in another state) gets
// a phantom code item under the login's keyed hash, which counts attempts and cooldowns exactly
// like a real one but matches no code: answers and their timing do not tell the two apart.

export type CodePurpose = "VERIFY" | "RESET";
export const ENTITY = "CODE";

export interface CodeRecord {
  codeHash: string;
  /** The channel it went out on (notify/channels names them); none for a phantom. */
  channel?: string;
  sentAt: number;
  expiresAt: number;
  attempts: number;
  /** A verification code, once used: kept until it expires so that a repeated verify answers as the first. */
  consumedAt?: number;
}

/** Whose code: a user's, or the phantom of a login (its keyed hash). */
export type CodeOwner = { userId: string } | { loginHash: string };

export const codeKey = (owner: CodeOwner | string, purpose: CodePurpose) => {
  const o: CodeOwner = typeof owner === "string" ? { userId: owner } : owner;
  return { PK: "userId" in o ? userPk(o.userId) : `PHANTOM#${o.loginHash}`, SK: `CODE#${purpose}` };
};

/** What a code's hash is bound to: the user, or the login of a phantom. */
export const codeSubject = (owner: CodeOwner) => ("userId" in owner ? owner.userId : `phantom:${owner.loginHash}`);

export const toCodeItem = (owner: CodeOwner, purpose: CodePurpose, code: CodeRecord, ttl: number) => ({
  ...codeKey(owner, purpose),
  entity: ENTITY,
  ...code,
  ttl,
});

export const fromCodeItem = (item: Record<string, unknown> | undefined): CodeRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as CodeRecord) : undefined;
