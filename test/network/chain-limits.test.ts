import { describe, expect, it } from "vitest";
import { checkFundingSats, MIN_FUNDING_SATS } from "../../src/network/funding.js";
import { checkBlockCount, MAX_BLOCKS_PER_MINE } from "../../src/network/mining.js";

describe("funding amounts are checked before anything is sent", () => {
  it.each([0, 1, 545, -1, 1.5, Number.NaN, 0n, 545n])("refuses %s sat, naming the minimum", (sats) => {
    expect(() => checkFundingSats("bob", sats)).toThrow(
      new RegExp(`cannot fund bob with .* at least ${MIN_FUNDING_SATS} .*dust`),
    );
  });

  it.each([546, 100_000, 546n, 2_100_000_000_000_000n])("takes %s sat", (sats) => {
    expect(() => checkFundingSats("bob", sats)).not.toThrow();
  });
});

describe("block counts are checked before anything is mined", () => {
  it.each([0, -1, 1.5, Number.NaN, MAX_BLOCKS_PER_MINE + 1, 100_000])(
    "refuses %s blocks, naming the limit",
    (n) => {
      expect(() => checkBlockCount(n)).toThrow(
        new RegExp(`cannot mine .* blocks: give a whole number from 1 to ${MAX_BLOCKS_PER_MINE}`),
      );
    },
  );

  it.each([1, 6, MAX_BLOCKS_PER_MINE])("takes %s blocks", (n) => {
    expect(() => checkBlockCount(n)).not.toThrow();
  });
});
