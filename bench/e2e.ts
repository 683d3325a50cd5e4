/**
 * Runs the seed scenario N times in a row (default 5; the soak is 50) and prints one JSON object: pass
 * count (flake rate), total wall time from spawn to both SUCCEEDED (median, p95), per-step medians, and
 * orphans: daemons and run dirs of ours still there after the last run (goal 0). With `--compare`,
 * each run is done twice, with ldk-regtest's test build of ldk-server and with the stock one,
 * interleaved, and both are reported side by side (see builds.ts).
 * Usage: npm run bench:e2e -- [runs] [--compare [--stock-exe PATH]]   |   npm run bench:soak
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { BITCOIND_EXECUTABLE } from "../src/bitcoind/bitcoind.js";
import { testKnobs } from "../src/ldk-server/test-knobs.js";
import { findExecutable } from "../src/processes/find-executable.js";
import { type E2eResult, runPayOverNewChannel } from "../src/scenario/pay-over-new-channel.js";
import { ldkServerBuilds, withBuild } from "./builds.js";
import { median, summary } from "./stats.js";

const daemonPids = () =>
  ["bitcoind", "ldk-server"].flatMap((name) => {
    try {
      return execFileSync("pgrep", ["-x", name], { encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
      return []; // none running
    }
  });
const runDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith("ldk-regtest-"));
const pidsBefore = new Set(daemonPids());
const dirsBefore = new Set(runDirs());

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const builds = await ldkServerBuilds(args);
const results = new Map<string, E2eResult[]>(builds.map((b) => [b.label, []]));
for (let i = 0; i < runs; i++) {
  for (const build of builds) {
    const result = await withBuild(build, () => runPayOverNewChannel({}));
    results.get(build.label)?.push(result);
    process.stderr.write(
      `run ${i + 1}/${runs} (${build.label} build): ${result.ok ? "ok" : `FAILED at ${result.failure?.step}`} ${result.totalMs} ms\n`,
    );
  }
}
const report = (all: E2eResult[]) => {
  const passed = all.filter((r) => r.ok);
  const stepNames = passed[0]?.steps.map((s) => s.name) ?? [];
  return {
    runs: all.length,
    passed: passed.length,
    flakeRate: (all.length - passed.length) / all.length,
    totalMs: summary(passed.map((r) => r.totalMs)),
    stepsMedianMs: Object.fromEntries(
      stepNames.map((name) => [
        name,
        median(passed.map((r) => r.steps.find((s) => s.name === name)?.ms ?? 0)),
      ]),
    ),
    failures: all.filter((r) => !r.ok).map((r) => r.failure?.step),
  };
};
console.log(
  JSON.stringify({
    bench: "e2e",
    ...Object.fromEntries(
      builds.map((b) => [b.label, { ldkServer: b.version, ...report(results.get(b.label) ?? []) }]),
    ),
    knobs: testKnobs(),
    orphans: {
      daemons: daemonPids().filter((p) => !pidsBefore.has(p)).length,
      runDirs: runDirs().filter((d) => !dirsBefore.has(d)).length,
    },
    daemons: {
      bitcoind: (await findExecutable(BITCOIND_EXECUTABLE)).version,
    },
    cpus: (await import("node:os")).cpus().length,
  }),
);
