import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { Network } from "../../src/network/network.js";
import { MissingExecutableError } from "../../src/processes/find-executable.js";

// Bad input is refused before anything starts: no daemon, no run dir.
const runDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith("ldk-regtest-")).length;
const saved = process.env.BITCOIND_EXE;
afterEach(() => {
  if (saved === undefined) delete process.env.BITCOIND_EXE;
  else process.env.BITCOIND_EXE = saved;
});

describe("Network.start with bad input", () => {
  it.each([
    [[], /at least one node name/],
    [["Alice"], /bad node name "Alice": use 1–32 lowercase letters, digits or dashes/],
    [["alice", "alice"], /node name "alice" appears twice/],
    [["a".repeat(33)], /bad node name/],
    [["alice", "bitcoind"], /node name "bitcoind" is taken: bitcoind's data dir has that name/],
  ])("nodes %j is refused with a clear error", async (nodes, message) => {
    const before = runDirs();
    await expect(Network.start({ nodes })).rejects.toThrow(message);
    expect(runDirs()).toBe(before);
  });

  it("a missing bitcoind is reported before anything starts", async () => {
    process.env.BITCOIND_EXE = "/nonexistent/bitcoind";
    const before = runDirs();
    const error = await Network.start({ nodes: ["alice"] }).catch((e) => e);
    expect(error).toBeInstanceOf(MissingExecutableError);
    expect(error.message).toMatch(
      /bitcoind at \/nonexistent\/bitcoind \(from BITCOIND_EXE\) is missing or not executable/,
    );
    expect(runDirs()).toBe(before);
  });
});
