import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/** Vitest's order (longest first), except that clock tests go first: they need every emulator up, and the faults stop, pause and kill them. */
class ClockFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isClock = (f: TestSpecification) => f.moduleId.includes("/test/clock/");
    return [...sorted.filter(isClock), ...sorted.filter((f) => !isClock(f))];
  }
}

// Three projects: unit tests (no network, AWS clients mocked); tests against the local stack of
// real emulators, which test/setup/global-setup.ts starts on free ports for the run; and the
// serial tests of a stack of their own: fault tests, which stop and pause emulators, and clock
// tests (test/clock/), which run the nightly job with a test clock (`--as-of`) that would move
// the other files' users through time. `npm test` (scripts/test.mjs)
// runs the faults after the others, in a second vitest run, so the two stacks never share the
// two cores and no stopped emulator meets another test.
const stackProject = {
  globalSetup: ["test/setup/global-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    // A root option (vitest applies the sequencer to the whole run, not per project).
    sequence: { sequencer: ClockFirst },
    reporters: process.env.CI ? ["default"] : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          setupFiles: ["test/setup/unit-env.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "stack",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          ...stackProject,
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts", "test/clock/**/*.test.ts"],
          ...stackProject,
          // One fault at a time: each file breaks a part of the shared (faults-only) stack.
          fileParallelism: false,
        },
      },
    ],
  },
});
