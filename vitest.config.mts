import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Vitest's order (longest first), except that clock and serial tests go first (they need every
 * emulator up, and the faults stop, pause and kill them) and the emulators killed from outside go
 * last (a new DynamoDB process means a new table stream, and serverless-offline starts over on it).
 */
class ClockFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => (/\/test\/(clock|serial)\//.test(f.moduleId) ? 0 : f.moduleId.endsWith("/killed-restarted.test.ts") ? 2 : 1);
    return [0, 1, 2].flatMap((r) => sorted.filter((f) => rank(f) === r));
  }
}

// Three projects: unit tests (no network, AWS clients mocked); tests against the local stack of
// real emulators, which test/setup/global-setup.ts starts on free ports for the run; and the
// serial tests of a stack of their own: fault tests, which stop and pause emulators; clock
// tests (test/clock/), which run the nightly job with a test clock (`--as-of`) that would move
// the other files' users through time; and tests that change what every other file meets
// (test/serial/: a stack-wide sign-in throttle, 2,000 mails through the one sender). `npm test` (scripts/test.mjs)
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
    // Stack files mostly wait (HTTP, queues, mail, TOTP windows): two at a time on two cores
    // (vitest's default there would be one; three starve cognito-local into timeouts). One value
    // for all projects, or vitest wants a group order per project. What would disturb the other
    // files is in test/serial/; faults run one at a time.
    maxWorkers: 2,
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
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts", "test/browser/**/*.test.ts"],
          ...stackProject,
        },
      },
      {
        extends: true,
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts", "test/clock/**/*.test.ts", "test/serial/**/*.test.ts"],
          ...stackProject,
          // One fault at a time: each file breaks a part of the shared (faults-only) stack.
          fileParallelism: false,
        },
      },
    ],
  },
});
