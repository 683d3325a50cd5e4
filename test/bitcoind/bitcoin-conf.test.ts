import { describe, expect, it } from "vitest";
import { renderBitcoinConf } from "../../src/bitcoind/bitcoin-conf.js";

describe("renderBitcoinConf", () => {
  const conf = renderBitcoinConf({ rpcPort: 1111, p2pPort: 2222, rpcUser: "user", rpcPassword: "secret" });
  const lines = conf.trim().split("\n");

  it("is regtest with RPC and P2P bound to loopback on the given ports", () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        "regtest=1",
        "server=1",
        "rpcbind=127.0.0.1",
        "rpcport=1111",
        "bind=127.0.0.1:2222",
      ]),
    );
  });

  it("puts network-specific settings under [regtest], where bitcoind reads them", () => {
    const section = lines.indexOf("[regtest]");
    expect(section).toBeGreaterThan(0);
    for (const key of ["rpcuser=user", "rpcpassword=secret", "rpcport=1111", "bind=127.0.0.1:2222"]) {
      expect(lines.indexOf(key)).toBeGreaterThan(section);
    }
  });

  it("has no peers, seeds or router port mapping, and a fallback fee for the wallet", () => {
    expect(lines).toEqual(
      expect.arrayContaining(["dnsseed=0", "fixedseeds=0", "natpmp=0", "fallbackfee=0.0002", "keypool=1"]),
    );
  });
});
