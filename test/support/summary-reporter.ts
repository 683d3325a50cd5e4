import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints every skipped test with its full name (E2E suites put the reason in their name, so a skip is
 * never silent) and a final plain `N passed, N failed, N skipped` line for CI.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "skipped") skipped.push(test.fullName);
        else failed++;
      }
      // A file that failed outside any test (did not load, or a beforeAll/afterAll hook threw) is a
      // failure even though its tests show as skipped.
      if (
        module.state() === "failed" &&
        ![...module.children.allTests()].some((t) => t.result().state === "failed")
      ) {
        failed++;
      }
    }
    // Printed at exit so the plain count is the very last line, after vitest's own summary.
    process.once("exit", () => {
      if (skipped.length > 0) {
        console.log(`\nSKIPPED (${skipped.length}):`);
        for (const name of skipped) console.log(`  - ${name}`);
      }
      console.log(`\n${passed} passed, ${failed} failed, ${skipped.length} skipped`);
    });
  }
}
