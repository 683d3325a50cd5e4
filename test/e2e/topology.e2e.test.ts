import { describe, expect } from "vitest";
import { PaymentDirection, PaymentStatus } from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

const test = networkTest<"alice" | "bob" | "carol">({
  scope: "file",
  topology: {
    nodes: {
      alice: { onchain_sats: 2_000_000 },
      bob: { onchain_sats: 1_000_000, alias: "Bob's node" },
      carol: {},
    },
    channels: [
      { from: "alice", to: "bob", sats: 1_000_000, push_sats: 0, announce: true },
      { from: "bob", to: "carol", sats: 500_000 },
    ],
  },
});

describe.skipIf(!daemons.ok)(e2eTitle("Network.start({ topology }) on real daemons", daemons), () => {
  test("hands out the network funded, with every channel usable on both sides and announced", async ({
    network: net,
  }) => {
    const [bob, carol] = [net.ldkServer("bob"), net.ldkServer("carol")];
    const channelsOf = async (name: "alice" | "bob" | "carol") =>
      (await net.ldkServer(name).client.listChannels()).channels;
    const [a, b, c] = await Promise.all((["alice", "bob", "carol"] as const).map(channelsOf));
    expect(a?.map((x) => [x.counterpartyNodeId, x.channelValueSats, x.isUsable, x.isAnnounced])).toEqual([
      [bob.nodeId, 1_000_000n, true, true],
    ]);
    expect(b).toHaveLength(2);
    expect(b?.every((x) => x.isUsable)).toBe(true);
    expect(c?.map((x) => [x.counterpartyNodeId, x.channelValueSats, x.isUsable])).toEqual([
      [bob.nodeId, 500_000n, true],
    ]);
    expect((await carol.client.getBalances()).totalOnchainBalanceSats).toBeGreaterThanOrEqual(100_000n);
    expect((await bob.client.getNodeInfo()).nodeAlias).toBe("Bob's node");
  });

  test("alice pays carol through bob (multi-hop): SUCCEEDED on both ends", { timeout: 90_000 }, async ({
    network: net,
  }) => {
    const [alice, carol] = [net.ldkServer("alice"), net.ldkServer("carol")];
    // Alice routes by her graph: wait until it holds both announced channels.
    await net.waitFor(
      "alice's graph knows both channels",
      async () => (await alice.client.graphListChannels()).shortChannelIds.length,
      { until: (n) => n >= 2 },
    );
    const invoice = await carol.client.bolt11Receive({
      amountMsat: 50_000_000n,
      expirySecs: 600,
      description: { kind: { case: "direct", value: "multi-hop" } },
    });
    const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
    const [sent, received] = await Promise.all([
      alice.waitForListedPayment(paymentId),
      carol.waitForListedPayment(invoice.paymentHash),
    ]);
    expect([PaymentDirection[sent.direction], PaymentStatus[sent.status]]).toEqual(["OUTBOUND", "SUCCEEDED"]);
    expect([PaymentDirection[received.direction], PaymentStatus[received.status]]).toEqual([
      "INBOUND",
      "SUCCEEDED",
    ]);
  });
});
