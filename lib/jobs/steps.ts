import { creditRecomputeStep } from "#lib/jobs/credit-recompute";
import type { NightlyStep } from "#lib/jobs/nightly";

/** The steps of the nightly job, in order. Each feature adds its own here. */
export const nightlySteps: NightlyStep[] = [creditRecomputeStep];
