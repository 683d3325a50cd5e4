import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { ChannelInfo, NetworkNode } from "../node/network-node.js";
import type { NetworkContext } from "./network-context.js";

/**
 * The one re-dial rule, after a resume (every node) and after a restart (that node): each channel of a
 * node in `scope` gets its pair dialled once, from the lower node id (two nodes dialling each other at
 * once make LDK drop a connection), at the peer's current address (ports may have changed; ldk-node
 * alone would redial only every 60 s). Pairs whose ready channel is still unusable are dialled again at
 * each probe, until every such channel is usable on both sides. A failed dial is not fatal.
 */
export async function reconnect(
  net: NetworkContext,
  scope: readonly NetworkNode[],
  what: string,
  { timeoutMs = defaultTimeout("restart"), signal }: CallOptions = {},
): Promise<void> {
  const byId = new Map(net.nodeList.map((n) => [n.nodeId, n]));
  const inScope = new Set(scope);
  const dial = async (onlyUnusable: boolean): Promise<ChannelInfo[]> => {
    const lists = await Promise.all(net.nodeList.map(async (n) => [n, await n.listChannels()] as const));
    const pairs = new Map<string, [NetworkNode, NetworkNode]>();
    const watched: ChannelInfo[] = [];
    for (const [node, channels] of lists) {
      for (const c of channels) {
        const peer = byId.get(c.counterpartyNodeId);
        if (!peer || !(inScope.has(node) || inScope.has(peer))) continue;
        watched.push(c);
        if (onlyUnusable && (c.isUsable || !c.isChannelReady)) continue;
        const [a, b] = node.nodeId < peer.nodeId ? [node, peer] : [peer, node];
        pairs.set(`${a.nodeId}${b.nodeId}`, [a, b]);
      }
    }
    await Promise.all(
      [...pairs.values()].map(([a, b]) =>
        a.connectPeer({ nodeId: b.nodeId, address: b.p2pAddress }).catch(() => {}),
      ),
    );
    return watched;
  };
  signal?.throwIfAborted();
  await dial(false);
  await net.waitFor(what, () => dial(true), {
    until: (channels) => channels.every((c) => !c.isChannelReady || c.isUsable),
    timeoutMs,
    signal,
  });
}
