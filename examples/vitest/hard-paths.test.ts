import { holdPayment, waitForInvariant } from "ldk-regtest";
import { networkTest } from "ldk-regtest/vitest";
import { expect } from "vitest";

// Each test gets its own network (not cached: these tests change the chain and crash nodes). Alice keeps
// on-chain funds beyond her channel, for the one she opens in the reorg test.
const test = networkTest<"alice" | "bob">({
  topology: {
    nodes: { alice: { onchain_sats: 2_000_000 }, bob: {} },
    channels: [{ from: "alice", to: "bob", sats: 1_000_000 }],
  },
});

test("the channel stays usable on both sides for 3 s", async ({ network }) => {
  const [alice, bob] = [network.node("alice"), network.node("bob")];
  await waitForInvariant(
    "the channel stays usable on both sides",
    async () => (await Promise.all([alice, bob].map((n) => n.listChannels()))).map((l) => l[0]?.isUsable),
    { durationMs: 3_000, holds: (usable) => usable.every(Boolean), watch: network.daemons },
  );
});

test("a channel's funding reorged out is mined back in, and the channel is usable", async ({ network }) => {
  const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
  const { userChannelId } = await alice.client.openChannel({
    nodePubkey: bob.nodeId,
    address: bob.p2pAddress,
    amount: { case: "channelAmountSats", value: 50_000n },
  });
  const { fundingTxid } = await network.waitForFundingBroadcast("alice", userChannelId);
  await network.mine(2);
  const reorg = await network.reorg(2, { drop: [fundingTxid] });
  expect(reorg.dropped).toEqual([fundingTxid]);
  const ends = await network.waitForUsableChannel("alice", "bob", userChannelId); // mines it back in
  expect([ends.opener.isUsable, ends.acceptor.isUsable]).toEqual([true, true]);
});

test("Bob is killed with a payment in flight; after his restart it settles", async ({ network }) => {
  const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
  const held = await holdPayment(alice, bob, { amountMsat: 5_000_000n }); // Bob holds the HTLC
  await bob.kill(); // SIGKILL
  await network.restart("bob"); // same data and ports; resolves once the channel is usable again
  await bob.events.waitForPayment(held.paymentHash, ["paymentClaimable"]);
  await held.claim();
  expect(await alice.waitForPaymentOutcome(held.paymentId)).toBe("SUCCEEDED");
});

test("a force-close is resolved on both sides and no sat goes missing", async ({ network }) => {
  const before = await network.money();
  const { closingTxid, blocksMined } = await network.forceClose("alice", "bob");
  expect(closingTxid).toMatch(/^[0-9a-f]{64}$/);
  expect(blocksMined).toBeGreaterThan(0);
  const { feesSats } = await network.checkMoneyConserved(before); // rejects when the sums are off
  expect(feesSats).toBeGreaterThan(0n);
});
