import { settleOverdueComplaints } from "#lib/complaints/sla";
import { creditRecomputeStep } from "#lib/jobs/credit-recompute";
import type { NightlyStep } from "#lib/jobs/nightly";
import { evaluateDueLifecycles } from "#lib/lifecycle/evaluate";
import { expirePoints } from "#lib/rewards/expire";

/** Points earned over 12 months ago (by month), from the sparse expiry index: lib/rewards/expire.ts. */
const rewardsExpiryStep: NightlyStep = { name: "rewards-expiry", run: ({ asOf }) => expirePoints(asOf) };

/** Overdue complaints escalated, complaints resolved 7 days ago closed, from the SLA index: lib/complaints/sla.ts. */
const complaintSlaStep: NightlyStep = { name: "complaint-sla", run: ({ asOf }) => settleOverdueComplaints(asOf) };

/** Lifecycle stage and churn risk of the users due (activity, or a stage boundary reached), from the lifecycle index: lib/lifecycle/evaluate.ts. */
const lifecycleStep: NightlyStep = { name: "lifecycle", run: ({ asOf }) => evaluateDueLifecycles(asOf) };

/** The steps of the nightly job, in order. Each feature adds its own here. Lifecycle runs after the recompute, so it sees tonight's scores (when the workers finished). */
export const nightlySteps: NightlyStep[] = [creditRecomputeStep, rewardsExpiryStep, complaintSlaStep, lifecycleStep];
