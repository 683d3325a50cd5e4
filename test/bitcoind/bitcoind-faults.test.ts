import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Bitcoind } from "../../src/bitcoind/bitcoind.js";
import { WaitError } from "../../src/waits/wait-for.js";

// Faults the real bitcoind cannot be made to show, from a stand-in daemon (test/support/fakes).
const FAKE = path.resolve("test/support/fakes/fake-bitcoind.mjs");
afterEach(() => {
  delete process.env.FAKE_BITCOIND_MODE;
});

/** Stand-in daemons still running (their command line names the fake). */
const fakesRunning = () => {
  try {
    return execFileSync("pgrep", ["-f", FAKE], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe("Bitcoind.start against a misbehaving daemon", () => {
  it("gives up on an RPC port that accepts but never answers, within readyTimeoutMs", async () => {
    process.env.FAKE_BITCOIND_MODE = "silent";
    const started = Date.now();
    const error = await Bitcoind.start({ executable: FAKE, readyTimeoutMs: 1500 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.message).toMatch(/waiting for: bitcoind RPC to answer/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fakesRunning()).toEqual([]);
  });

  it("stops the daemon when creating the wallet fails after RPC is up", async () => {
    process.env.FAKE_BITCOIND_MODE = "no-wallet";
    const error = await Bitcoind.start({ executable: FAKE, readyTimeoutMs: 5000 }).catch((e) => e);
    expect(error.message).toMatch(/bitcoind createwallet failed \(-4\): Wallet file verification failed/);
    expect(fakesRunning()).toEqual([]);
  });

  it("stops at once, and stops the daemon, when aborted while waiting for RPC", async () => {
    process.env.FAKE_BITCOIND_MODE = "silent";
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 300);
    const started = Date.now();
    const error = await Bitcoind.start({ executable: FAKE, signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.reason).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fakesRunning()).toEqual([]);
  });
});
