import { userPk } from "#lib/data/keys";

// One-time codes (verification, password reset): one item per user and purpose, holding only a
// keyed hash of the code.

export type CodePurpose = "VERIFY" | "RESET";
export const ENTITY = "CODE";

export interface CodeRecord {
  codeHash: string;
  /** The channel it went out on (notify/channels names them). */
  channel: string;
  sentAt: number;
  expiresAt: number;
  attempts: number;
}

export const codeKey = (userId: string, purpose: CodePurpose) => ({ PK: userPk(userId), SK: `CODE#${purpose}` });

export const toCodeItem = (userId: string, purpose: CodePurpose, code: CodeRecord, ttl: number) => ({
  ...codeKey(userId, purpose),
  entity: ENTITY,
  ...code,
  ttl,
});

export const fromCodeItem = (item: Record<string, unknown> | undefined): CodeRecord | undefined =>
  item?.entity === ENTITY ? (item as unknown as CodeRecord) : undefined;
