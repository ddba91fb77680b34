import { settleOverdueComplaints } from "#lib/complaints/sla";
import { creditRecomputeStep } from "#lib/jobs/credit-recompute";
import type { NightlyStep } from "#lib/jobs/nightly";
import { expirePoints } from "#lib/rewards/expire";

/** Points earned over 12 months ago (by month), from the sparse expiry index: lib/rewards/expire.ts. */
const rewardsExpiryStep: NightlyStep = { name: "rewards-expiry", run: ({ asOf }) => expirePoints(asOf) };

/** Overdue complaints escalated, complaints resolved 7 days ago closed, from the SLA index: lib/complaints/sla.ts. */
const complaintSlaStep: NightlyStep = { name: "complaint-sla", run: ({ asOf }) => settleOverdueComplaints(asOf) };

/** The steps of the nightly job, in order. Each feature adds its own here. */
export const nightlySteps: NightlyStep[] = [creditRecomputeStep, rewardsExpiryStep, complaintSlaStep];
