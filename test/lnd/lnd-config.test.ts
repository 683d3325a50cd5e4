import { describe, expect, it } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import { lndExtraArgs, renderLndConfig } from "../../src/lnd/lnd-config.js";
import { channelIdOf, scidHeight } from "../../src/lnd/lnd-shapes.js";

const bitcoind = { rpcAddress: "127.0.0.1:18443", rpcUser: "u", rpcPassword: "secret" };

describe("lnd config", () => {
  it("binds 127.0.0.1, polls bitcoind's RPC every 100 ms, needs no seed and accepts keysend", () => {
    const conf = renderLndConfig({
      lndDir: "/d",
      p2pPort: 1,
      grpcPort: 2,
      restPort: 3,
      alias: "dave",
      bitcoind,
    });
    for (const line of [
      "listen=127.0.0.1:1",
      "rpclisten=127.0.0.1:2",
      "restlisten=127.0.0.1:3",
      "noseedbackup=true",
      "accept-keysend=true",
      "bitcoind.rpcpolling=true",
      "bitcoind.blockpollinginterval=100ms",
      "bitcoind.rpchost=127.0.0.1:18443",
    ])
      expect(conf.split("\n")).toContain(line);
    expect(conf).not.toMatch(/zmq/);
  });

  it("passes extra options as flags and refuses the ones it owns, by name", () => {
    expect(lndExtraArgs({ "bitcoin.timelockdelta": 40, "protocol.wumbo-channels": true })).toEqual([
      "--bitcoin.timelockdelta=40",
      "--protocol.wumbo-channels=true",
    ]);
    for (const key of ["rpclisten", "bitcoind.rpcpass", "noseedbackup", "lnddir"]) {
      const error = (() => {
        try {
          lndExtraArgs({ [key]: "x" });
        } catch (e) {
          return e;
        }
      })();
      expect(hasCode(error, "BAD_OPTION")).toBe(true);
      expect((error as Error).message).toContain(`lnd option ${key} is set by ldk-regtest`);
    }
    expect(() => lndExtraArgs({ "bitcoin.x": { nested: 1 } })).toThrow(/lnd option bitcoin.x/);
  });
});

describe("lnd shapes", () => {
  it("derives the BOLT 2 channel id from the funding outpoint (txid reversed, index XORed in)", () => {
    const txid = `${"00".repeat(31)}ab`; // displayed order: reversed, 0xab is the first byte
    expect(channelIdOf(`${txid}:0`)).toBe(`ab${"00".repeat(31)}`);
    expect(channelIdOf(`${txid}:1`)).toBe(`ab${"00".repeat(30)}01`);
    expect(channelIdOf(`${txid}:258`)).toBe(`ab${"00".repeat(29)}0102`);
  });

  it("reads the block height from a short channel id", () => {
    expect(scidHeight(String((104n << 40n) | (2n << 16n) | 1n))).toBe(104);
  });
});
