// Tiers and what they change elsewhere (deposits, listings, rewards). Other services read these
// from GET /me, so the names are part of the contract.

export type Tier = "EXCELLENT" | "GOOD" | "FAIR" | "POOR";

/** What every account starts with until its first computation (the model gives a newcomer exactly this). */
export const NEW_USER_CREDIT = { score: 600, tier: "FAIR" as Tier };

export function tierOf(score: number): Tier {
  if (score >= 750) return "EXCELLENT";
  if (score >= 650) return "GOOD";
  if (score >= 550) return "FAIR";
  return "POOR";
}

const EFFECTS: Record<Tier, { entitlements: string[]; restrictions: string[] }> = {
  EXCELLENT: { entitlements: ["DEPOSIT_FREE", "PRIORITY_SERVICE", "REWARD_MULTIPLIER_1_5"], restrictions: [] },
  GOOD: { entitlements: ["DEPOSIT_REDUCED", "REWARD_MULTIPLIER_1_2"], restrictions: [] },
  FAIR: { entitlements: [], restrictions: [] },
  POOR: { entitlements: [], restrictions: ["DEPOSIT_REQUIRED", "LIMITED_LISTINGS", "REWARDS_FROZEN"] },
};

export function entitlementsOf(tier: string): { entitlements: string[]; restrictions: string[] } {
  const effects = EFFECTS[tier as Tier] ?? EFFECTS.FAIR;
  return { entitlements: [...effects.entitlements], restrictions: [...effects.restrictions] };
}
