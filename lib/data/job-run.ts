import { ttlAfter } from "#lib/data/keys";

// Records of background runs, kept 90 days: the nightly job (one item per run, with each step's
// counts) and each credit recompute fan-out (planned work and the workers' running totals).

export const ENTITY = { nightly: "NIGHTLY_RUN", creditRecompute: "CREDIT_RECOMPUTE_RUN" } as const;
export const RUN_RETENTION_SECONDS = 90 * 24 * 3600;

export const nightlyRunKey = (startedAt: string, runId: string) => ({ PK: "JOB#NIGHTLY", SK: `RUN#${startedAt}#${runId}` });
export const creditRecomputeRunKey = (runId: string) => ({ PK: "JOB#CREDIT_RECOMPUTE", SK: `RUN#${runId}` });

export const runTtl = () => ttlAfter(RUN_RETENTION_SECONDS);
