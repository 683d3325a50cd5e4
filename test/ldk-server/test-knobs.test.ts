import { describe, expect, it } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import { isTestBuild, testBuildGitHash, testKnobs } from "../../src/ldk-server/test-knobs.js";
import { builtFromRev, LDK_SERVER_UPSTREAM, otherRevWarning } from "../../src/ldk-server/upstream.js";

describe("testKnobs", () => {
  it("defaults come from the durations table, scaled like every other duration", () => {
    expect(testKnobs({})).toEqual({ chainPollMs: 100, firstForwardMs: 100, sweepMs: 100 });
    expect(testKnobs({ LDK_REGTEST_TIMEOUT_SCALE: "3" })).toEqual({
      chainPollMs: 300,
      firstForwardMs: 300,
      sweepMs: 300,
    });
  });

  it("takes the user's own values within range", () => {
    expect(
      testKnobs({
        LDK_REGTEST_KNOB_CHAIN_POLL_MS: "2000",
        LDK_REGTEST_KNOB_FIRST_FORWARD_MS: "0",
        LDK_REGTEST_KNOB_SWEEP_MS: "30000",
      }),
    ).toEqual({ chainPollMs: 2000, firstForwardMs: 0, sweepMs: 30_000 });
  });

  it.each([
    ["LDK_REGTEST_KNOB_CHAIN_POLL_MS", "0"],
    ["LDK_REGTEST_KNOB_CHAIN_POLL_MS", "60001"],
    ["LDK_REGTEST_KNOB_CHAIN_POLL_MS", "1.5"],
    ["LDK_REGTEST_KNOB_FIRST_FORWARD_MS", "2001"],
    ["LDK_REGTEST_KNOB_FIRST_FORWARD_MS", "-1"],
    ["LDK_REGTEST_KNOB_FIRST_FORWARD_MS", "fast"],
    ["LDK_REGTEST_KNOB_SWEEP_MS", "30001"],
  ])("refuses %s=%s with BAD_OPTION naming the variable and its range", (name, value) => {
    let error: unknown;
    try {
      testKnobs({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^${name} must be a whole number of milliseconds from \\d+ to \\d+ \\(got "${value}"\\)`),
    );
  });
});

describe("the test build's version line", () => {
  const { rev } = LDK_SERVER_UPSTREAM;
  const test = `ldk-server 0.1.0 (${testBuildGitHash(rev)})`;

  it("carries the marker after the pinned rev; a stock build's does not", () => {
    expect(isTestBuild(test)).toBe(true);
    expect(isTestBuild(`ldk-server 0.1.0 (${rev})`)).toBe(false);
  });

  it("still names the rev it was built from, so no other-rev warning", () => {
    expect(builtFromRev(test)).toBe(rev);
    expect(otherRevWarning(test)).toBeUndefined();
    expect(otherRevWarning("ldk-server 0.1.0 (unknown)")).toBeUndefined();
    expect(otherRevWarning("ldk-server 0.1.0 (0123456)")).toMatch(/reports rev 0123456/);
  });
});
