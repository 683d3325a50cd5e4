import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { ChannelInfo, NetworkNode, OpenedChannel } from "../node/network-node.js";
import { lostFunding } from "./funding-broadcast.js";
import type { NetworkContext } from "./network-context.js";

/** ldk-node waits for this many confirmations before a channel is ready (LDK's default minimum_depth). */
export const CHANNEL_CONFIRMATIONS = 6;

/** A channel whose funding was broadcast, between two nodes of the network. */
export interface PendingChannel {
  opener: NetworkNode;
  acceptor: NetworkNode;
  opened: OpenedChannel;
}

/** A channel as both of its ends see it. */
export interface ChannelEnds {
  opener: ChannelInfo;
  acceptor: ChannelInfo;
}

/**
 * Polls both sides of every channel until all report usable, mining only when needed: one batch of
 * confirmations once any funding transaction is in the mempool (all channels broadcast by then are
 * confirmed by the same blocks), then single blocks only while every node has seen the tip and some
 * channel is still short of depth.
 */
export async function waitForUsableChannels(
  net: NetworkContext,
  channels: readonly PendingChannel[],
  { timeoutMs = defaultTimeout(channels.length > 1 ? "channels" : "channel"), signal }: CallOptions = {},
): Promise<ChannelEnds[]> {
  const missingSince = new Map<PendingChannel, number>();
  const listed = new Map<NetworkNode, Promise<ChannelInfo[]>>();
  const channelsOf = (node: NetworkNode) => {
    const list = listed.get(node) ?? node.listChannels();
    listed.set(node, list);
    return list;
  };
  const usable = (s: { opener?: ChannelInfo; acceptor?: ChannelInfo }[]) =>
    s.every((c) => c.opener?.isUsable && c.acceptor?.isUsable);
  const [first] = channels;
  const what =
    channels.length === 1 && first
      ? `channel ${first.opened.channelId} usable on both ${first.opener.nodeName} and ${first.acceptor.nodeName}`
      : `${channels.length} channels usable on both sides`;
  const states = await net.waitFor(
    what,
    async () => {
      listed.clear();
      const seen = await Promise.all(
        channels.map(async ({ opener, acceptor, opened }) => {
          const find = async (node: NetworkNode) =>
            (await channelsOf(node)).find((c) => c.channelId === opened.channelId);
          const [a, b] = await Promise.all([find(opener), find(acceptor)]);
          return { opener: a, acceptor: b };
        }),
      );
      if (usable(seen)) return seen;
      const mempool = await net.bitcoind.rpc.getRawMempool();
      if (channels.some((c) => mempool.includes(c.opened.fundingTxid))) {
        await net.bitcoind.generate(CHANNEL_CONFIRMATIONS);
        return seen;
      }
      // ldk-node hands the funding transaction to a background broadcaster: give it time before calling
      // it lost (bitcoind refused it, e.g. as a double spend). Blocks mined meanwhile by other waits
      // say nothing about it.
      const now = Date.now();
      const grace = defaultTimeout("fundingBroadcastGrace");
      const lost = channels.find((c, i) => {
        const unconfirmed =
          Math.min(seen[i]?.opener?.confirmations ?? 0, seen[i]?.acceptor?.confirmations ?? 0) === 0;
        if (!unconfirmed) missingSince.delete(c);
        else if (!missingSince.has(c)) missingSince.set(c, now);
        return unconfirmed && now - (missingSince.get(c) ?? now) > grace;
      });
      if (lost) {
        throw lostFunding(lost.opener, lost.opened);
      }
      const short = seen.some(
        (c) =>
          c.opener &&
          c.acceptor &&
          Math.min(c.opener.confirmations, c.acceptor.confirmations) < CHANNEL_CONFIRMATIONS,
      );
      if (short) await mineIfSynced(net);
      return seen;
    },
    { until: usable, timeoutMs, signal, maxIntervalMs: defaultTimeout("pollChannels") },
  );
  return states as ChannelEnds[];
}

/** One block, but only once every node has seen the tip (otherwise their next poll brings them on). */
async function mineIfSynced(net: NetworkContext): Promise<void> {
  const tip = await net.bitcoind.rpc.getBlockCount();
  const heights = await Promise.all(net.nodeList.map((n) => n.bestBlockHeight()));
  if (heights.every((h) => h === tip)) await net.bitcoind.generate(1);
}
