import { describe, expect } from "vitest";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons();
const test = networkTest<"alice" | "bob">({
  topology: { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 1_000_000 }] },
});

describe.skipIf(!daemons.ok)(e2eTitle("bitcoind restarted under a running network", daemons), () => {
  test("the nodes carry on: they sync to new blocks, pay, and open a channel after it", {
    timeout: 180_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    const height = await net.bitcoind.rpc.getBlockCount();
    const started = performance.now();
    await net.bitcoind.restart();
    await net.mine(1);
    console.info(
      `bitcoind restarted; nodes synced to a new block ${Math.round(performance.now() - started)} ms after`,
    );
    expect(await alice.bestBlockHeight()).toBe(height + 1);
    await pay(alice, bob);
    await net.fund({ bob: 1_000_000 });
    const ends = await net.openChannel("bob", "alice", { sats: 300_000 });
    expect([ends.opener.isUsable, ends.acceptor.isUsable]).toEqual([true, true]);
    await pay(bob, alice);
  });
});
