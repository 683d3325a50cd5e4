import { describe, expect } from "vitest";
import { hasCode, type Topology } from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { e2eTitle } from "../support/daemons.js";
import { payWhenRoutable } from "../support/graph-hop.js";
import { detectMixedDaemons } from "../support/lnd.js";
import { payAcross } from "../support/pay.js";

const daemons = await detectMixedDaemons();
const timeout = 120_000; // the first test of the file starts the network

// alice (LDK) → dave (LND) → carol (LDK) → erin (LDK), announced: dave forwards between two LDK nodes,
// and carol forwards dave's payments to erin.
const topology: Topology = {
  nodes: { alice: {}, dave: { kind: "lnd" }, carol: {}, erin: {} },
  channels: [
    { from: "alice", to: "dave", sats: 500_000, push_sats: 100_000 },
    { from: "dave", to: "carol", sats: 500_000, push_sats: 100_000 },
    { from: "carol", to: "erin", sats: 500_000, push_sats: 100_000 },
  ],
};
const test = networkTest<"alice" | "dave" | "carol" | "erin">({ topology, scope: "file" });

describe.skipIf(!daemons.ok)(e2eTitle("LND beside LDK Server in one network", daemons), () => {
  test("the topology comes up with an lnd node: channels usable on both kinds", { timeout }, async ({
    network: net,
  }) => {
    const dave = net.lnd("dave");
    expect(dave.kind).toBe("lnd");
    const info = await dave.client.getInfo();
    expect(info.identity_pubkey).toBe(dave.nodeId);
    expect(info.synced_to_chain).toBe(true);
    const channels = await dave.listChannels();
    expect(channels.map((c) => [c.isUsable, c.channelValueSats])).toEqual([
      [true, 500_000n],
      [true, 500_000n],
    ]);
    // The channel ids match ldk-server's: the network's waits found them on both sides.
    const alices = await net.node("alice").listChannels();
    expect(channels.map((c) => c.channelId)).toContain(alices[0]?.channelId);
  });

  test("LDK pays an LND invoice and LND pays an LDK invoice", { timeout }, async ({ network: net }) => {
    await payAcross(net.node("alice"), net.node("dave"));
    await payAcross(net.node("dave"), net.node("alice"));
  });

  test("multi-hop across kinds: alice (LDK) → dave (LND) → carol (LDK), and back", { timeout }, async ({
    network: net,
  }) => {
    const [alice, carol] = [net.node("alice"), net.node("carol")];
    await payWhenRoutable(net, alice, carol);
    await payWhenRoutable(net, carol, alice);
  });

  test("LND pays through an LDK node: dave (LND) → carol (LDK) → erin (LDK), and erin back to dave", {
    timeout,
  }, async ({ network: net }) => {
    const carol = net.ldkServer("carol");
    const forwards = async () => (await carol.client.listForwardedPayments({})).forwardedPayments.length;
    const before = await forwards();
    await payAcross(net.node("dave"), net.node("erin"));
    await payAcross(net.node("erin"), net.node("dave"));
    // carol records a forward once the HTLC is settled back to her, which may come after the payer's success.
    await net.waitFor("carol lists both forwards", forwards, { until: (n) => n === before + 2 });
  });

  test("LND keysends to LDK (final CLTV delta 144) over the channel LDK opened", { timeout }, async ({
    network: net,
  }) => {
    const [alice, dave] = [net.ldkServer("alice"), net.lnd("dave")];
    const sent = await dave.client.keysend({ dest: alice.nodeId, amountMsat: 2_000_000n });
    expect(await dave.waitForPaymentOutcome(sent.payment_hash)).toBe("SUCCEEDED");
    expect(await alice.waitForPaymentOutcome(sent.payment_hash)).toBe("SUCCEEDED");
  });

  test("the kind accessors refuse the wrong kind with a code", { timeout }, async ({ network: net }) => {
    const error = (() => {
      try {
        net.lnd("alice");
      } catch (e) {
        return e;
      }
    })();
    expect(hasCode(error, "WRONG_NODE_KIND")).toBe(true);
    expect((error as Error).message).toMatch(
      /alice is an ldk-server node, not lnd: use net.ldkServer\("alice"\)/,
    );
  });
});
