import { describe, expect, it } from "vitest";
import type { Bitcoind } from "../../src/bitcoind/bitcoind.js";
import { buildTopology } from "../../src/network/build-topology.js";
import { ChannelOpener } from "../../src/network/channel-opening.js";
import type { NetworkContext } from "../../src/network/network-context.js";
import type { ChannelInfo, NetworkNode } from "../../src/node/network-node.js";
import { waitFor } from "../../src/waits/wait-for.js";

/**
 * A chain where the funding of the one channel lands in a block of its own, as when it reached the
 * mempool while the batch of confirmations was being mined; the acceptor takes the channel into use at
 * one confirmation (lnd on regtest), and the graphs hold it once it has the 6 an announcement needs.
 */
function chainWithOneConfirmationChannel() {
  const chain = { height: 100, fundingHeight: 0 };
  const confirmations = () => (chain.fundingHeight ? chain.height - chain.fundingHeight + 1 : 0);
  const bitcoind = {
    rpc: { getRawMempool: async () => [], getBlockCount: async () => chain.height },
    generate: async (blocks: number) => {
      chain.height += blocks;
    },
  } as unknown as Bitcoind;
  const channel = (counterpartyNodeId: string): ChannelInfo => ({
    channelId: "c1",
    implementationId: "u1",
    counterpartyNodeId,
    fundingTxid: "t1",
    fundingOutputIndex: 0,
    channelValueSats: 100_000n,
    outboundCapacityMsat: 0n,
    inboundCapacityMsat: 0n,
    confirmations: confirmations(),
    isChannelReady: confirmations() >= 1,
    isUsable: confirmations() >= 1,
    isOutbound: counterpartyNodeId === "bob-id",
    isAnnounced: true,
  });
  const node = (name: string, peer: string) =>
    ({
      nodeName: name,
      nodeId: `${name}-id`,
      p2pAddress: "127.0.0.1:1",
      balances: async () => ({
        totalOnchainSats: chain.fundingHeight ? 0n : 1_000_000n,
        spendableOnchainSats: 0n,
        lightningSats: 0n,
      }),
      openChannel: async () => {
        chain.height += 1;
        chain.fundingHeight = chain.height;
        return { channelId: "c1", implementationId: "u1", fundingTxid: "t1" };
      },
      listChannels: async () => (chain.fundingHeight ? [channel(`${peer}-id`)] : []),
      graphChannelCount: async () => (confirmations() >= 6 ? 1 : 0),
      bestBlockHeight: async () => chain.height,
    }) as unknown as NetworkNode;
  const nodes = { alice: node("alice", "bob"), bob: node("bob", "alice") };
  const net: NetworkContext = {
    bitcoind,
    nodeList: Object.values(nodes),
    // Short waits: without the blocks it needs, the channel never reaches the graphs.
    waitFor: (condition, probe, options) =>
      waitFor(condition, probe, { ...options, timeoutMs: 2_000, intervalMs: 5, maxIntervalMs: 5 }),
  };
  return { net, nodes, confirmations };
}

describe("buildTopology", () => {
  it("mines an announced channel usable at one confirmation to announcement depth, then the graphs hold it", async () => {
    const { net, nodes, confirmations } = chainWithOneConfirmationChannel();
    const phases: string[] = [];
    const topology = {
      nodes: { alice: { onchain_sats: 0 }, bob: { onchain_sats: 0 } },
      channels: [{ from: "alice", to: "bob", sats: 100_000 }],
    };
    await buildTopology(net, new ChannelOpener(net), nodes, topology, undefined, {
      onPhase: (phase) => phases.push(phase),
    });
    expect(confirmations()).toBe(6);
    expect(phases).toEqual([
      "opening the topology's channels",
      "confirming the channels",
      "announcing the channels",
    ]);
  });
});
