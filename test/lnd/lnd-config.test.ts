import { describe, expect, it } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import { lndExtraArgs, renderLndConfig } from "../../src/lnd/lnd-config.js";
import { scidHeight } from "../../src/lnd/lnd-shapes.js";

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
  it("reads the block height from a short channel id", () => {
    expect(scidHeight(String((104n << 40n) | (2n << 16n) | 1n))).toBe(104);
  });
});
