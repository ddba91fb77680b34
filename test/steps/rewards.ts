import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { npmRun } from "#test/steps/commands";
import { eventually } from "#test/steps/eventually";
import { call } from "#test/steps/when";

// Steps of the rewards flows (test/e2e/rewards*.test.ts, test/clock/rewards*.test.ts).

export interface Entry {
  entryId: string;
  at: string;
  type: string;
  points: number;
  reason: string;
  requested?: number;
}
export interface RewardsView {
  balance: number;
  frozen: boolean;
  ledger: Entry[];
  achievements: { id: string; at: string; points: number }[];
  nextExpiry: { at: string; points: number } | null;
}

const key = (k?: string) => ({ "idempotency-key": k ?? randomUUID() });

export const rewards = {
  view: async (token: string): Promise<RewardsView> => {
    const res = await call("GET", "/me/rewards?limit=100", { token });
    expect(res.status, res.text).toBe(200);
    return res.body as RewardsView;
  },
  redeem: (token: string, body: unknown, idempotencyKey?: string | null) =>
    call("POST", "/me/rewards/redeem", { token, body, headers: idempotencyKey === null ? {} : key(idempotencyKey) }),
  grant: (token: string, body: unknown, idempotencyKey?: string) => call("POST", "/admin/rewards/grants", { token, body, headers: key(idempotencyKey) }),
  approve: (token: string, grantId: string) => call("POST", `/admin/rewards/grants/${grantId}/approve`, { token }),
  listGrants: (token: string, status = "PENDING_APPROVAL") => call("GET", `/admin/rewards/grants?status=${status}&limit=100`, { token }),

  /** Waits until the user's ledger holds an entry for each of these events. */
  /**
   * The view once the events' ledger entries are there, read again: a view reads the user (the
   * balance) before the ledger, so the one that first shows an entry may hold the balance from
   * just before the entry's transaction; the next request reads the user after it.
   */
  async paidFor(token: string, eventIds: string[], timeoutMs = 30_000) {
    await eventually(
      () => rewards.view(token),
      (v) => eventIds.every((id) => v.ledger.some((e) => e.entryId === `EVENT#${id}`)),
      `ledger entries for ${eventIds.length} event(s)`,
      timeoutMs,
    );
    return rewards.view(token);
  },

  /** `npm run rewards:verify`, for real: its summary line, or its failure (exit 1 names the users). */
  async verify(): Promise<{ accounts: number; mismatches: number; users: string[] }> {
    const { stdout } = await npmRun("rewards:verify");
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  },
};

/** Staff give a user a level by hand (ACTIVE holds rewards:redeem). */
export async function setLevel(adminToken: string, userId: string, level: string) {
  const res = await call("POST", `/admin/users/${userId}/level`, { token: adminToken, body: { level, reason: "Rewards test setup" } });
  expect(res.status, res.text).toBe(200);
}
