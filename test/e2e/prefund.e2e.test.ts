import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect } from "vitest";
import { receiveDescriptor } from "../../src/ldk-server/node-seed.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

const test = networkTest<"alice" | "bob">({
  topology: { nodes: { alice: { onchain_sats: 300_000 }, bob: { onchain_sats: 0 } } },
});

describe.skipIf(!daemons.ok)(e2eTitle("nodes funded before they start", daemons), () => {
  test("a topology's nodes hold their funds at start: our seed is theirs, and a restart keeps it", {
    timeout: 60_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    const height = await net.bitcoind.rpc.getBlockCount();
    expect((await alice.client.getBalances()).spendableOnchainBalanceSats).toBe(300_000n);
    expect((await bob.client.getBalances()).totalOnchainBalanceSats).toBe(0n);
    // ldk-node derives its wallet from the mnemonic we wrote: index 0 holds the funds, so the next
    // address it hands out is index 1 of our descriptor.
    const mnemonicFile = path.join(alice.storageDir, "keys_mnemonic");
    expect(((await stat(mnemonicFile)).mode & 0o777).toString(8)).toBe("600");
    const descriptor = receiveDescriptor((await readFile(mnemonicFile, "utf8")).trim());
    expect((await alice.client.onchainReceive()).address).toBe(
      await net.bitcoind.deriveAddress(descriptor, 1),
    );
    // Restarted (the rescan flag is for the first start only): same wallet, same funds, still synced.
    await net.restart("alice");
    expect((await alice.client.getBalances()).spendableOnchainBalanceSats).toBe(300_000n);
    expect((await alice.client.getNodeInfo()).currentBestBlock?.height).toBe(height);
    await expect(readFile(path.join(bob.storageDir, "keys_mnemonic"), "utf8")).resolves.toMatch(
      /^(\w+ ){23}\w+\n$/,
    );
  });
});
