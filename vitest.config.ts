import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // E2E files each start real daemons; running them side by side on 2 cores only slows both.
    fileParallelism: false,
    testTimeout: 10_000,
    hookTimeout: 180_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
