import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { ChannelOptions, NetworkNode, OpenedChannel } from "../node/network-node.js";
import type { NetworkContext } from "./network-context.js";

/**
 * Opens channels so that opens from one node never race for the same coins: ldk-node's wallet learns
 * of its own funding transaction only at its next chain poll, and until then the next open from that
 * node would spend the same coins (bitcoind rejects it as a double spend). Only that next open waits.
 * If the wallet never sees a funding, every later open from that node fails with that wait's error
 * instead of spending the same coins again.
 */
export class ChannelOpener {
  private readonly queues = new Map<NetworkNode, Promise<void>>();

  constructor(private readonly net: NetworkContext) {}

  /** Opens `opener` → `acceptor`, in the opener's queue; resolves once the funding is broadcast. */
  async open(
    opener: NetworkNode,
    acceptor: NetworkNode,
    channel: ChannelOptions,
    { signal }: CallOptions = {},
  ): Promise<OpenedChannel> {
    const previous = this.queues.get(opener) ?? Promise.resolve();
    let settle: (seen: Promise<void>) => void = () => {};
    const turn = new Promise<void>((resolve) => (settle = resolve));
    // Once a funding was never seen the queue stays failed: the wallet's view of its coins is behind.
    const queued = previous.then(() => turn);
    queued.catch(() => {}); // a failure is reported by the next open from this node, if there is one
    this.queues.set(opener, queued);
    await previous;
    try {
      signal?.throwIfAborted();
      const before = (await opener.balances()).totalOnchainSats;
      const opened = await opener.openChannel(
        { nodeId: acceptor.nodeId, address: acceptor.p2pAddress },
        channel,
        { signal, watch: [acceptor] },
      );
      const seen = this.net
        .waitFor(
          `${opener.nodeName}'s wallet sees the funding of channel ${opened.channelId} (before its next open)`,
          async () => (await opener.balances()).totalOnchainSats,
          {
            until: (total) => total < before,
            timeoutMs: defaultTimeout("fundingSeen"),
            keepLogsOnFailure: false,
            signal,
          },
        )
        .then(() => undefined);
      settle(seen);
      return opened;
    } catch (error) {
      settle(Promise.resolve()); // nothing was broadcast: the next open may go ahead
      throw error;
    }
  }
}
