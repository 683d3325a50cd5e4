import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUTS, defaultTimeout } from "../../src/common/durations.js";

describe("default timeouts", () => {
  it("come from one table, multiplied by LDK_REGTEST_TIMEOUT_SCALE", () => {
    expect(defaultTimeout("channel", {})).toBe(DEFAULT_TIMEOUTS.channel);
    expect(defaultTimeout("channel", { LDK_REGTEST_TIMEOUT_SCALE: "3" })).toBe(3 * DEFAULT_TIMEOUTS.channel);
    expect(defaultTimeout("wait", { LDK_REGTEST_TIMEOUT_SCALE: "0.5" })).toBe(DEFAULT_TIMEOUTS.wait / 2);
  });

  it.each(["0", "-1", "fast", "1000"])("refuse a scale of %s by name", (scale) => {
    expect(() => defaultTimeout("wait", { LDK_REGTEST_TIMEOUT_SCALE: scale })).toThrow(
      /LDK_REGTEST_TIMEOUT_SCALE must be a number above 0 and up to 100/,
    );
  });
});
