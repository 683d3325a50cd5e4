import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Bitcoind } from "../../src/bitcoind/bitcoind.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { useTempCache } from "../support/temp-cache.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("bitcoind from the cache's ready chain", daemons), () => {
  const cache = useTempCache("all", { pinDaemons: true });

  it("is built once per binary, and every new data dir starts from a copy: 101 blocks, a funded wallet", {
    timeout: 60_000,
  }, async () => {
    const heights: number[] = [];
    const addresses: string[] = [];
    for (let i = 0; i < 2; i++) {
      await using bitcoind = await Bitcoind.start();
      heights.push(await bitcoind.rpc.getBlockCount());
      // the harness wallet spends the copied chain's mature coinbase, in its own run
      const address = await bitcoind.rpc.getNewAddress("ldk-regtest");
      addresses.push(address);
      const txid = await bitcoind.send({ [address]: 100_000 });
      await bitcoind.generate(1);
      expect(await bitcoind.harnessShare(txid)).toMatchObject({ fromHarness: true });
      expect(await readdir(path.join(bitcoind.dataDir, "regtest"))).toContain("blocks");
    }
    expect(heights).toEqual([101, 101]); // the second start did not see the first's block
    const chains = await readdir(path.join(cache(), "chains"));
    expect(chains.filter((c) => !c.endsWith(".lock"))).toHaveLength(1);
    const chain = path.join(cache(), "chains", chains.find((c) => !c.endsWith(".lock")) ?? "");
    expect((await stat(path.join(chain, "regtest", "blocks"))).isDirectory()).toBe(true);
  });

  it("a data dir that has a chain (a resumed network) keeps its own", { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-chain-"));
    const first = await Bitcoind.start({ dataDir });
    await first.generate(5);
    await first.stop();
    const again = await Bitcoind.start({ dataDir });
    try {
      expect(await again.rpc.getBlockCount()).toBe(106);
    } finally {
      await again.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
