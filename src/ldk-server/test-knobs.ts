import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";

/**
 * ldk-regtest's test build of ldk-server is the pinned rev with our patch to ldk-node
 * (patches/ldk-node-test-knobs.patch): three environment variables replace the timers that bound every
 * regtest network (2 s chain polls, 2 s before the first forwarding pass, 30 s between sweeps). Unset,
 * the binary behaves exactly as upstream; a stock build ignores them.
 */
export const TEST_KNOBS = {
  /** Between two chain polls (upstream 2 s): how soon a node sees a mined block or its own funding. */
  chainPollMs: { envVar: "LDK_REGTEST_KNOB_CHAIN_POLL_MS", min: 1, max: 60_000, default: "chainPoll" },
  /** Before the first forwarding pass after a start (upstream 2 s), which a node's first receive waits for too. */
  firstForwardMs: {
    envVar: "LDK_REGTEST_KNOB_FIRST_FORWARD_MS",
    min: 0,
    max: 2_000,
    default: "firstForward",
  },
  /** Between two sweeper passes and claim rebroadcasts (upstream 30 s), which a force-close's sweeps wait for. */
  sweepMs: { envVar: "LDK_REGTEST_KNOB_SWEEP_MS", min: 0, max: 30_000, default: "sweep" },
} as const;

export type TestKnobs = { [K in keyof typeof TEST_KNOBS]: number };

/** What `--version` of a test build carries after the rev: `(<rev>+ldk-regtest-knobs.<patch sha256, 8 hex>)`. */
export const TEST_BUILD_MARKER = "+ldk-regtest-knobs.";

/** Whether an ldk-server version line (`ldk-server 0.1.0 (<rev>…)`) is one of our test builds. */
export function isTestBuild(version: string): boolean {
  return version.includes(TEST_BUILD_MARKER);
}

/**
 * The knob values the harness gives every ldk-server it starts: the durations table's defaults, or the
 * user's own `LDK_REGTEST_KNOB_*` values, refused (BAD_OPTION, naming the variable) when out of range, so
 * a typo fails before anything starts instead of silently running upstream's 2 s.
 */
export function testKnobs(env: NodeJS.ProcessEnv = process.env): TestKnobs {
  const entries = Object.entries(TEST_KNOBS).map(([key, knob]) => {
    const raw = env[knob.envVar];
    if (raw === undefined || raw === "") return [key, Math.min(knob.max, defaultTimeout(knob.default, env))];
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < knob.min || value > knob.max) {
      throw badOption(
        knob.envVar,
        `${knob.envVar} must be a whole number of milliseconds from ${knob.min} to ${knob.max} (got "${raw}"); unset it for ldk-regtest's default`,
        { value: raw, min: knob.min, max: knob.max },
      );
    }
    return [key, value];
  });
  return Object.fromEntries(entries) as TestKnobs;
}

/** The knobs as the daemon's environment variables. */
export function testKnobEnv(knobs: TestKnobs): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(TEST_KNOBS) as (keyof TestKnobs)[]).map((key) => [
      TEST_KNOBS[key].envVar,
      String(knobs[key]),
    ]),
  );
}

/** Said once (e2e, doctor) when the ldk-server found is a stock build. */
export const STOCK_BUILD_NOTE =
  "ldk-server is a stock build: every node polls the chain every 2 s, waits 2 s before its first forwarding pass and sweeps a force-close's outputs up to 30 s late, so networks take seconds longer. `npx ldk-regtest install ldk-server` builds ldk-regtest's test build (the pinned rev with three timer knobs) in a few minutes.";

/** Our patch to ldk-node that adds the knobs (shipped with the package, applied by `install ldk-server`). */
export const TEST_KNOBS_PATCH = fileURLToPath(
  new URL("../../patches/ldk-node-test-knobs.patch", import.meta.url),
);

/** The patch's identity: the first 8 hex digits of its SHA-256 (a changed patch is another build). */
export function patchDigest(patchFile = TEST_KNOBS_PATCH): string {
  return createHash("sha256").update(readFileSync(patchFile)).digest("hex").slice(0, 8);
}

/** The cache folder name of the test build of `rev` (`<rev>` alone is the stock build). */
export function testBuildVersion(rev: string, patchFile = TEST_KNOBS_PATCH): string {
  return `${rev}-knobs.${patchDigest(patchFile)}`;
}

/** What `--version` of the test build of `rev` prints in its parentheses (the build's GIT_HASH). */
export function testBuildGitHash(rev: string, patchFile = TEST_KNOBS_PATCH): string {
  return `${rev}${TEST_BUILD_MARKER}${patchDigest(patchFile)}`;
}
