import type { Reporter, TestModule } from "vitest/node";

type Task = { type: string; name: string; mode: string; result?: { state?: string }; tasks?: Task[]; suite?: Task };

/**
 * Prints every skipped test with its full name (E2E suites put the reason in their name, so a skip is
 * never silent) and a final plain `N passed, N failed, N skipped` line for CI.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    const visit = (task: Task, prefix: string[]) => {
      const names = task.type === "suite" || task.type === "test" ? [...prefix, task.name] : prefix;
      if (task.type === "test") {
        if (task.mode === "skip" || task.mode === "todo" || task.result?.state === "skip") skipped.push(names.join(" > "));
        else if (task.result?.state === "pass") passed++;
        else failed++;
      }
      for (const child of task.tasks ?? []) visit(child, names);
    };
    for (const module of testModules) visit(module.task as unknown as Task, []);
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
