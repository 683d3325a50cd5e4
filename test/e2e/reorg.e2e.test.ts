import { describe, expect } from "vitest";
import { networkTest } from "../../src/testing/vitest.js";
import { waitForInvariant } from "../../src/waits/wait-for-invariant.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons();
const test = networkTest<"alice" | "bob">({ nodes: ["alice", "bob"] });

describe.skipIf(!daemons.ok)(e2eTitle("reorgs under channels and payments", daemons), () => {
  test("a channel whose funding is reorged out and back in ends usable on both sides", {
    timeout: 180_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    await net.fund({ alice: 2_000_000, bob: 100_000 });
    const { userChannelId } = await alice.client.openChannel({
      nodePubkey: bob.nodeId,
      address: bob.p2pAddress,
      amount: { case: "channelAmountSats", value: 500_000n },
      announceChannel: false,
    });
    const opened = await net.waitForFundingBroadcast("alice", userChannelId);
    await net.mine(2);
    const confirmed = async () => (await bob.listChannels())[0]?.confirmations ?? 0;
    await net.waitFor("bob sees the funding with 2 confirmations", confirmed, { until: (c) => c === 2 });

    const reorg = await net.reorg(2, { drop: [opened.fundingTxid] });
    expect(reorg.unconfirmed).toContain(opened.fundingTxid);
    expect(reorg.dropped).toEqual([opened.fundingTxid]);
    expect(reorg.newTip.height).toBe(reorg.oldTip.height + 1);
    expect(await net.bitcoind.rpc.getRawMempool()).toContain(opened.fundingTxid);
    await net.waitFor(
      "both sides see the funding unconfirmed",
      async () => Promise.all([alice, bob].map(async (n) => (await n.listChannels())[0]?.confirmations)),
      { until: (c) => c.every((n) => n === 0) },
    );

    // Back in: mined again, the channel becomes usable and carries a payment.
    const ends = await net.waitForUsableChannel("alice", "bob", userChannelId);
    expect([ends.opener.isUsable, ends.acceptor.isUsable]).toEqual([true, true]);
    await pay(alice, bob);
  });

  test("a payment made before a shallow reorg stays SUCCEEDED on both sides; the channel stays usable", {
    timeout: 180_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    await net.fund({ alice: 2_000_000, bob: 100_000 });
    await net.openChannel("alice", "bob", { sats: 500_000 });
    const paymentId = await pay(alice, bob);
    await net.reorg(3);
    await waitForInvariant(
      "the channel stays usable on both sides after the reorg",
      async () => (await Promise.all([alice, bob].map((n) => n.listChannels()))).map((l) => l[0]?.isUsable),
      { durationMs: 5_000, holds: (usable) => usable.every(Boolean), watch: net.daemons },
    );
    for (const node of [alice, bob]) expect(await node.waitForPaymentOutcome(paymentId)).toBe("SUCCEEDED");
    await pay(alice, bob);
  });
});
