import { describe, expect, it } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import { parseAmountMsat } from "../../src/devnet/amount.js";

describe("parseAmountMsat", () => {
  it("reads sat and msat, with or without underscores", () => {
    expect(parseAmountMsat("50sat")).toBe(50_000n);
    expect(parseAmountMsat("50000msat")).toBe(50_000n);
    expect(parseAmountMsat("1_000sat")).toBe(1_000_000n);
    expect(parseAmountMsat(" 1msat ")).toBe(1n);
  });

  it.each(["50", "50 sat", "50btc", "-5sat", "1.5sat", "sat", ""])("refuses %j, naming the units", (text) => {
    let error: unknown;
    try {
      parseAmountMsat(text);
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect((error as Error).message).toBe(
      `amount "${text}": write it with its unit, e.g. 50sat or 50000msat`,
    );
  });

  it("refuses zero and more than all the bitcoin there is", () => {
    expect(() => parseAmountMsat("0sat")).toThrow(/an invoice needs an amount above zero/);
    expect(() => parseAmountMsat("2100000000000001sat")).toThrow(/more than all the bitcoin there is/);
    expect(parseAmountMsat("2100000000000000sat")).toBe(2_100_000_000_000_000_000n);
  });
});
