import { defineConfig } from "vitest/config";

// Two projects: unit tests (no network, AWS clients mocked) and tests against the local stack of
// real emulators, which test/setup/global-setup.ts starts on free ports for the run.
export default defineConfig({
  test: {
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
          globalSetup: ["test/setup/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
