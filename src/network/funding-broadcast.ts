import { defaultTimeout } from "../common/durations.js";
import type { NetworkNode, NodeWaitOptions, OpenedChannel } from "../node/network-node.js";
import { FatalWaitError } from "../waits/wait-for.js";
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
  implementationId: string,
  options: NodeWaitOptions = {},
): Promise<OpenedChannel> {
  const opened = await opener.waitForFundingBroadcast(implementationId, options);
  const confirmations = async () =>
    (await opener.listChannels()).find((c) => c.channelId === opened.channelId)?.confirmations ?? 0;
  const since = Date.now();
  await net.waitFor(
    `funding transaction ${opened.fundingTxid} of ${opener.nodeName}'s channel in bitcoind's mempool`,
    async () => {
      if ((await net.bitcoind.rpc.getRawMempool()).includes(opened.fundingTxid)) return true;
      if ((await confirmations()) > 0) return true;
      if (Date.now() - since > defaultTimeout("fundingBroadcastGrace")) throw lostFunding(opener, opened);
      return false;
    },
    { timeoutMs: options.timeoutMs, signal: options.signal },
  );
  return opened;
}

/** A funding transaction that never reached bitcoind within the grace period: bitcoind refused it. */
export function lostFunding(opener: NetworkNode, opened: OpenedChannel): FatalWaitError {
  return new FatalWaitError(
    `funding transaction ${opened.fundingTxid} is neither in bitcoind's mempool nor confirmed: ${opener.nodeName} could not broadcast it (look for "Failed to broadcast" in its log)`,
  );
}
