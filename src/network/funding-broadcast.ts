import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import type { NetworkNode, OpenedChannel } from "../node/network-node.js";
import type { NetworkContext } from "./network-context.js";

/**
 * After an open by `opener` itself: its funding broadcast, and then the funding transaction in
 * bitcoind's mempool (or already confirmed). A node reports the broadcast when it hands the transaction
 * to its background broadcaster (ldk-node's ChannelPending), a moment before bitcoind has it: blocks
 * mined in between would not confirm it.
 */
export async function waitForFundingInMempool(
  net: NetworkContext,
  opener: NetworkNode,
  userChannelId: string,
  options: WaitCallOptions & { watch?: readonly NetworkNode[] } = {},
): Promise<OpenedChannel> {
  const opened = await opener.waitForFundingBroadcast(userChannelId, options);
  const confirmations = async () =>
    (await opener.listChannels()).find((c) => c.channelId === opened.channelId)?.confirmations ?? 0;
  const grace = defaultTimeout("fundingBroadcastGrace");
  await net.waitFor(
    `funding transaction ${opened.fundingTxid} of ${opener.nodeName}'s channel in bitcoind's mempool (not there ${grace} ms after the broadcast: bitcoind refused it, look for "Failed to broadcast" in ${opener.nodeName}'s log)`,
    async () =>
      (await net.bitcoind.rpc.getRawMempool()).includes(opened.fundingTxid) || (await confirmations()) > 0,
    { timeoutMs: Math.min(grace, options.timeoutMs ?? grace), signal: options.signal },
  );
  return opened;
}
