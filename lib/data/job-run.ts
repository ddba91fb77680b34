import { ttlAfter } from "#lib/data/keys";

// Records of background runs, kept 90 days: the nightly job (its lease, and one item per run with
// each step's counts), and each credit recompute fan-out (planned work, the workers' running
// totals, and one marker per finished batch so a redelivered batch is not counted twice).

export const ENTITY = {
  lease: "NIGHTLY_LEASE",
  nightly: "NIGHTLY_RUN",
  creditRecompute: "CREDIT_RECOMPUTE_RUN",
  batch: "CREDIT_RECOMPUTE_BATCH",
} as const;
export const RUN_RETENTION_SECONDS = 90 * 24 * 3600;

/** The one lease of the nightly job: whoever holds it (and keeps renewing it) runs the job. */
export const nightlyLeaseKey = () => ({ PK: "JOB#NIGHTLY", SK: "LEASE" });
export const nightlyRunKey = (startedAt: string, runId: string) => ({ PK: "JOB#NIGHTLY", SK: `RUN#${startedAt}#${runId}` });
export const creditRecomputeRunKey = (runId: string) => ({ PK: "JOB#CREDIT_RECOMPUTE", SK: `RUN#${runId}` });
export const creditRecomputeBatchKey = (runId: string, pass: string, batch: number) => ({
  PK: `JOB#CREDIT_RECOMPUTE#${runId}`,
  SK: `BATCH#${pass}#${batch}`,
});

export const runTtl = () => ttlAfter(RUN_RETENTION_SECONDS);
