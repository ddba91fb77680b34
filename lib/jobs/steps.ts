import type { NightlyStep } from "#lib/jobs/nightly";
import { creditRecomputeStep } from "#lib/jobs/recompute-planner";

/** The steps of the nightly job, in order. Each feature adds its own here. */
export const nightlySteps: NightlyStep[] = [creditRecomputeStep];
