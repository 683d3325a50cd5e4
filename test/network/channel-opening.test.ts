import { describe, expect, it } from "vitest";
import type { Bitcoind } from "../../src/bitcoind/bitcoind.js";
import { ChannelOpener } from "../../src/network/channel-opening.js";
import type { NetworkContext } from "../../src/network/network-context.js";
import type { NetworkNode } from "../../src/node/network-node.js";
import { waitFor } from "../../src/waits/wait-for.js";

/** A node whose wallet sees its own funding only when the test says so (ldk-node: at its next poll). */
function standInNode(name: string) {
  const state = { onchain: 1_000_000n, pendingSpend: 0n, opens: 0 };
  const node = {
    nodeName: name,
    nodeId: `${name}-id`,
    p2pAddress: "127.0.0.1:1",
    balances: async () => ({
      totalOnchainSats: state.onchain,
      spendableOnchainSats: state.onchain,
      lightningSats: 0n,
    }),
    openChannel: async (_peer: unknown, channel: { sats: number | bigint }) => {
      state.opens++;
      state.pendingSpend += BigInt(channel.sats);
      return {
        channelId: `c${state.opens}`,
        implementationId: `u${state.opens}`,
        fundingTxid: `t${state.opens}`,
      };
    },
  };
  /** The wallet's next poll: it sees what it spent. */
  const poll = () => {
    state.onchain -= state.pendingSpend;
    state.pendingSpend = 0n;
  };
  return { node: node as unknown as NetworkNode, state, poll };
}

function context(timeoutMs: number): NetworkContext {
  return {
    bitcoind: {} as Bitcoind,
    nodeList: [],
    waitFor: (condition, probe, options) =>
      waitFor(condition, probe, { ...options, timeoutMs, intervalMs: 5, maxIntervalMs: 5 }),
  };
}

describe("ChannelOpener", () => {
  it("holds a node's next open until its wallet has seen the previous funding", async () => {
    const alice = standInNode("alice");
    const bob = standInNode("bob");
    const opener = new ChannelOpener(context(5_000));
    await opener.open(alice.node, bob.node, { sats: 100_000 });
    const second = opener.open(alice.node, bob.node, { sats: 200_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(alice.state.opens).toBe(1); // still waiting: its wallet would spend the same coins
    alice.poll();
    await second;
    expect(alice.state.opens).toBe(2);
  });

  it("does not hold opens from another node", async () => {
    const [alice, bob, carol] = [standInNode("alice"), standInNode("bob"), standInNode("carol")];
    const opener = new ChannelOpener(context(5_000));
    await opener.open(alice.node, bob.node, { sats: 100_000 });
    await opener.open(carol.node, bob.node, { sats: 100_000 });
    expect(carol.state.opens).toBe(1);
  });

  it("fails the next open, instead of double-spending, when the wallet never sees the funding", async () => {
    const alice = standInNode("alice");
    const bob = standInNode("bob");
    const opener = new ChannelOpener(context(100));
    await opener.open(alice.node, bob.node, { sats: 100_000 });
    await expect(opener.open(alice.node, bob.node, { sats: 200_000 })).rejects.toMatchObject({
      code: "WAIT_FAILED",
      reason: "timeout",
      message: expect.stringContaining("alice's wallet sees the funding of channel c1"),
    });
    alice.poll(); // too late: its coins were not known for a while; later opens fail the same way
    await expect(opener.open(alice.node, bob.node, { sats: 1 })).rejects.toMatchObject({
      code: "WAIT_FAILED",
    });
    expect(alice.state.opens).toBe(1);
  });

  it("lets the next open go ahead when an open failed before broadcasting", async () => {
    const alice = standInNode("alice");
    const bob = standInNode("bob");
    const opener = new ChannelOpener(context(100));
    const open = alice.node.openChannel.bind(alice.node);
    alice.node.openChannel = async () => Promise.reject(new Error("peer refused"));
    await expect(opener.open(alice.node, bob.node, { sats: 1 })).rejects.toThrow("peer refused");
    alice.node.openChannel = open;
    await opener.open(alice.node, bob.node, { sats: 1 }); // not held: nothing was spent
    expect(alice.state.opens).toBe(1);
  });
});
