import { describe, expect, it } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import {
  ANCHOR_RESERVE_SATS,
  checkArgsOf,
  checkChannelEnds,
  checkChannelFunds,
  checkDevnetArgs,
  checkNode,
  checkPayable,
  DUST_LIMIT_SATS,
  MAX_BLOCKS_PER_MINE,
  MIN_CHANNEL_SATS,
  parseAutoMineSeconds,
  parseBlocks,
  parseChannelSats,
  parseFundSats,
  parseLogLines,
  parsePushSats,
} from "../../src/devnet/args.js";

/** The error `run` throws (it must throw). */
function thrown(run: () => unknown): Error & { code?: string; data?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("mine's block count", () => {
  it("takes 1 to MAX_BLOCKS_PER_MINE, from the command line or JSON", () => {
    expect(parseBlocks(undefined)).toBe(1);
    expect(parseBlocks("6")).toBe(6);
    expect(parseBlocks("1_000")).toBe(1000);
    expect(parseBlocks(250)).toBe(250);
    expect(MAX_BLOCKS_PER_MINE).toBe(1000);
  });

  it("refuses 100000 naming the limit and the fix (calling again)", () => {
    const error = thrown(() => parseBlocks("100000"));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect(error.message).toBe(
      "blocks to mine: 100000 is above the maximum of 1000; mine 1 to 1000 blocks per call (for more, call `ldk-regtest mine 1000` again)",
    );
    expect(error.data).toMatchObject({ option: "blocks", value: "100000", min: 1, max: 1000 });
  });

  it.each(["abc", "0", "-1", "1.5", "1e3", "", " ", "0x10", "6 blocks"])("refuses %j", (value) => {
    const error = thrown(() => parseBlocks(value));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect(error.message).toMatch(/^blocks to mine: /);
  });

  it("refuses a non-integer or unsafe JSON number", () => {
    for (const value of [1.5, Number.NaN, 2 ** 60, null, true])
      expect(
        hasCode(
          thrown(() => parseBlocks(value)),
          "BAD_OPTION",
        ),
      ).toBe(true);
  });
});

describe("fund's amount", () => {
  it("takes whole sats from the dust limit up", () => {
    expect(parseFundSats("546")).toBe(DUST_LIMIT_SATS);
    expect(parseFundSats("500_000")).toBe(500_000);
  });

  it("refuses 0 naming the minimum", () => {
    const error = thrown(() => parseFundSats("0"));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect(error.message).toMatch(/0 is below the minimum of 546; send at least 546 sat \(bitcoind refuses/);
    expect(error.data).toMatchObject({ option: "sats", min: 546 });
  });

  it("refuses non-integers and more than there is", () => {
    expect(thrown(() => parseFundSats("1000.5")).message).toMatch(/"1000.5" is not a whole number/);
    expect(thrown(() => parseFundSats("1btc")).message).toMatch(/"1btc" is not a whole number/);
    expect(thrown(() => parseFundSats(String(21e14 + 1))).message).toMatch(
      /above the maximum of 2100000000000000/,
    );
  });
});

describe("open's channel", () => {
  it("refuses a channel to itself, naming the fix", () => {
    const error = thrown(() => checkChannelEnds("alice", "alice"));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect(error.message).toBe("a channel from alice to itself cannot be opened: name two different nodes");
    expect(() => checkChannelEnds("alice", "bob")).not.toThrow();
  });

  it("takes sizes from LDK's minimum up and refuses smaller ones with the minimum", () => {
    expect(parseChannelSats(String(MIN_CHANNEL_SATS))).toBe(MIN_CHANNEL_SATS);
    expect(parseChannelSats("1_000_000")).toBe(1_000_000);
    const error = thrown(() => parseChannelSats("1000"));
    expect(error.message).toMatch(
      new RegExp(
        `1000 is below the minimum of ${MIN_CHANNEL_SATS}; open a channel of at least ${MIN_CHANNEL_SATS} sat`,
      ),
    );
    expect(error.data).toMatchObject({ option: "sats", min: MIN_CHANNEL_SATS });
    expect(thrown(() => parseChannelSats("lots")).message).toMatch(/"lots" is not a whole number/);
  });

  it("pushes less than the channel", () => {
    expect(parsePushSats(undefined, 100_000)).toBe(0);
    expect(parsePushSats("99999", 100_000)).toBe(99_999);
    expect(thrown(() => parsePushSats("100000", 100_000)).message).toMatch(
      /above the maximum of 99999; push less than the channel's 100000 sat/,
    );
  });

  it("needs the opener to afford the channel and its anchor reserve", () => {
    expect(() => checkChannelFunds("alice", 100_000, 100_000n + BigInt(ANCHOR_RESERVE_SATS))).not.toThrow();
    const error = thrown(() => checkChannelFunds("alice", 1_000_000, 500_000n));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect(error.message).toMatch(
      /^alice can spend 500000 sat on-chain, less than the channel's 1000000 sat plus the 25000 sat/,
    );
    expect(error.message).toMatch(
      /open at most 475000 sat, or fund it first \(`ldk-regtest fund alice 535000`/,
    );
    expect(thrown(() => checkChannelFunds("bob", 100_000, 0n)).message).not.toMatch(/open at most/);
  });
});

describe("node names and payment targets", () => {
  it("an unknown node is UNKNOWN_NODE with the nodes there are", () => {
    expect(checkNode("bob", ["alice", "bob"])).toBe("bob");
    const error = thrown(() => checkNode("dave", ["alice", "bob"]));
    expect(hasCode(error, "UNKNOWN_NODE")).toBe(true);
    expect(error.message).toBe('no node "dave" in this network (nodes: alice, bob)');
    expect(error.data).toEqual({ node: "dave", nodes: ["alice", "bob"] });
    expect(
      hasCode(
        thrown(() => checkNode(undefined, ["alice"])),
        "UNKNOWN_NODE",
      ),
    ).toBe(true);
  });

  it("pays invoices and offers only", () => {
    expect(checkPayable(" lnbcrt500u1pqxyz ")).toBe("lnbcrt500u1pqxyz");
    expect(checkPayable("lno1qgsq")).toBe("lno1qgsq");
    for (const bad of ["", "hello", "lnbc 1", 42])
      expect(
        hasCode(
          thrown(() => checkPayable(bad)),
          "BAD_OPTION",
        ),
      ).toBe(true);
  });

  it("--auto-mine and --lines are bounded whole numbers", () => {
    expect(parseAutoMineSeconds("10")).toBe(10);
    expect(thrown(() => parseAutoMineSeconds("0")).message).toMatch(
      /--auto-mine seconds: 0 is below the minimum of 1/,
    );
    expect(parseLogLines("50")).toBe(50);
    expect(thrown(() => parseLogLines("all")).message).toMatch(/--lines: "all" is not a whole number/);
  });
});

describe("one check of each operation's arguments, for the CLI and the supervisor", () => {
  it("checks the CLI's text and a program's JSON numbers alike", () => {
    const checked = { from: "alice", to: "bob", sats: 100_000, push: 1000, private: false };
    expect(checkDevnetArgs.open({ from: "alice", to: "bob", sats: "100_000", push: "1000" })).toEqual(
      checked,
    );
    expect(checkDevnetArgs.open({ from: "alice", to: "bob", sats: 100_000, push: 1000 })).toEqual(checked);
    expect(checkDevnetArgs.mine({})).toEqual({ blocks: 1 });
    expect(checkDevnetArgs.invoice({ node: "bob", amount: "50sat" })).toEqual({
      node: "bob",
      amountMsat: 50_000n,
      description: "ldk-regtest",
      jit: false,
    });
  });

  it("checks node names once the network's are given (the CLI does not know them)", () => {
    expect(checkDevnetArgs.fund({ node: "dave", sats: "10000" })).toEqual({ node: "dave", sats: 10_000 });
    const error = thrown(() => checkDevnetArgs.fund({ node: "dave", sats: 10_000 }, ["alice", "bob"]));
    expect(error).toMatchObject({ code: "UNKNOWN_NODE", data: { node: "dave", nodes: ["alice", "bob"] } });
    expect(thrown(() => checkDevnetArgs.close({ from: "bob", to: "bob" }, ["bob"]))).toMatchObject({
      code: "BAD_OPTION",
      data: { option: "to" },
    });
  });

  it("checkArgsOf runs the check of an operation that takes arguments, and passes the others", () => {
    expect(thrown(() => checkArgsOf("mine", { blocks: "0" }))).toMatchObject({
      code: "BAD_OPTION",
      data: { option: "blocks" },
    });
    expect(thrown(() => checkArgsOf("pay", { node: "alice", target: "hello" }))).toMatchObject({
      code: "BAD_OPTION",
      data: { option: "invoice-or-offer" },
    });
    expect(() => checkArgsOf("status", undefined)).not.toThrow();
  });
});
