/**
 * Runs the seed scenario N times in a row (default 5; the soak is 50) and prints one JSON object: pass
 * count (flake rate), total wall time from spawn to both SUCCEEDED (median, p95), per-step medians, and
 * orphans: daemons and run dirs of ours still there after the last run (goal 0).
 * Usage: npm run bench:e2e -- [runs]   |   npm run bench:soak
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { BITCOIND_EXECUTABLE } from "../src/bitcoind/bitcoind.js";
import { LDK_SERVER_EXECUTABLE } from "../src/ldk-server/ldk-server.js";
import { findExecutable } from "../src/processes/find-executable.js";
import { type E2eResult, runPayOverNewChannel } from "../src/scenario/pay-over-new-channel.js";
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

const runs = Number(process.argv[2] ?? 5);
const results: E2eResult[] = [];
for (let i = 0; i < runs; i++) {
  const result = await runPayOverNewChannel();
  results.push(result);
  process.stderr.write(
    `run ${i + 1}/${runs}: ${result.ok ? "ok" : `FAILED at ${result.failure?.step}`} ${result.totalMs} ms\n`,
  );
}
const passed = results.filter((r) => r.ok);
const stepNames = passed[0]?.steps.map((s) => s.name) ?? [];
console.log(
  JSON.stringify({
    bench: "e2e",
    runs,
    passed: passed.length,
    flakeRate: (runs - passed.length) / runs,
    totalMs: summary(passed.map((r) => r.totalMs)),
    stepsMedianMs: Object.fromEntries(
      stepNames.map((name) => [
        name,
        median(passed.map((r) => r.steps.find((s) => s.name === name)?.ms ?? 0)),
      ]),
    ),
    failures: results.filter((r) => !r.ok).map((r) => r.failure?.step),
    orphans: {
      daemons: daemonPids().filter((p) => !pidsBefore.has(p)).length,
      runDirs: runDirs().filter((d) => !dirsBefore.has(d)).length,
    },
    daemons: {
      bitcoind: (await findExecutable(BITCOIND_EXECUTABLE)).version,
      ldkServer: (await findExecutable(LDK_SERVER_EXECUTABLE)).version,
    },
    cpus: (await import("node:os")).cpus().length,
  }),
);
