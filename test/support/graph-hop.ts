import type { Network } from "../../src/index.js";
import type { AnyNode } from "../../src/kinds/registry.js";

/**
 * Waits until `viewer`'s graph holds an enabled channel update of `from` for its channel to `to`: what a
 * route of the viewer's through from → to needs. A start waits for every announcement in every graph;
 * the updates come on their own, and lnd may first announce a channel disabled until its peer is active.
 */
export async function waitForHop(net: Network, viewer: AnyNode, from: AnyNode, to: AnyNode): Promise<void> {
  await net.waitFor(
    `${viewer.nodeName}'s graph holds ${from.nodeName}'s channel update towards ${to.nodeName}`,
    () => (viewer.kind === "lnd" ? lndHasHop(viewer, from, to) : ldkHasHop(viewer, from, to)),
    { until: (has) => has },
  );
}

async function ldkHasHop(viewer: Extract<AnyNode, { kind: "ldk-server" }>, from: AnyNode, to: AnyNode) {
  const { shortChannelIds } = await viewer.client.graphListChannels();
  for (const shortChannelId of shortChannelIds) {
    const { channel } = await viewer.client.graphGetChannel({ shortChannelId });
    if (channel?.nodeOne === from.nodeId && channel.nodeTwo === to.nodeId) return !!channel.oneToTwo?.enabled;
    if (channel?.nodeTwo === from.nodeId && channel.nodeOne === to.nodeId) return !!channel.twoToOne?.enabled;
  }
  return false;
}

async function lndHasHop(viewer: Extract<AnyNode, { kind: "lnd" }>, from: AnyNode, to: AnyNode) {
  type Policy = { disabled?: boolean } | null;
  type Edge = { node1_pub: string; node2_pub: string; node1_policy?: Policy; node2_policy?: Policy };
  const { edges = [] } = await viewer.client.rest.get<{ edges?: Edge[] }>("/v1/graph");
  const edge = edges.find(
    (e) => [e.node1_pub, e.node2_pub].sort().join() === [from.nodeId, to.nodeId].sort().join(),
  );
  const policy = edge && (edge.node1_pub === from.nodeId ? edge.node1_policy : edge.node2_policy);
  return !!policy && !policy.disabled;
}
