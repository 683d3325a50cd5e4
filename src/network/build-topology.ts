import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { NetworkNode } from "../node/network-node.js";
import type { Topology } from "../node/topology-spec.js";
import type { ChannelOpener } from "./channel-opening.js";
import { fund, waitForSpendable } from "./funding.js";
import type { NetworkContext } from "./network-context.js";
import type { Prefunded } from "./prefund.js";
import { fundingOf } from "./topology.js";
import { waitForUsableChannels } from "./usable-channels.js";

/**
 * Brings a new topology to life: waits for the funds sent before the nodes started (and pays the
 * nodes that could not be paid before they started: lnd makes its own wallet), opens every
 * channel at once (one batch of blocks confirms them all), then waits until every node's graph holds
 * every announced channel (nodes route by their graph).
 */
export async function buildTopology(
  net: NetworkContext,
  opener: ChannelOpener,
  nodes: Readonly<Record<string, NetworkNode>>,
  topology: Topology,
  prefunded: Prefunded | undefined,
  { signal }: CallOptions = {},
): Promise<void> {
  const node = (name: string) => nodes[name] as NetworkNode;
  if (prefunded) {
    const sats = new Map(Object.entries(prefunded.sats).map(([name, s]) => [node(name), s] as const));
    await waitForSpendable(net, sats, prefunded.txid, { signal });
  }
  const unpaid = Object.entries(fundingOf(topology)).filter(
    ([name, sats]) => sats > 0 && prefunded?.sats[name] === undefined,
  );
  if (unpaid.length > 0)
    await fund(net, new Map(unpaid.map(([name, sats]) => [node(name), sats])), { signal });
  const channels = topology.channels ?? [];
  if (channels.length === 0) return;
  const pending = await Promise.all(
    channels.map(async (c) => {
      const [from, to] = [node(c.from), node(c.to)];
      const opened = await opener.open(
        from,
        to,
        {
          sats: c.sats,
          announce: c.announce ?? true,
          ...(c.push_sats ? { pushMsat: BigInt(c.push_sats) * 1000n } : {}),
        },
        { signal },
      );
      return { opener: from, acceptor: to, opened };
    }),
  );
  await waitForUsableChannels(net, pending, { signal });
  const announced = channels.filter((c) => c.announce ?? true).length;
  if (announced === 0) return;
  await net.waitFor(
    `every node's graph holds the ${announced} announced channels`,
    () => Promise.all(net.nodeList.map((n) => n.graphChannelCount())),
    { until: (counts) => counts.every((n) => n >= announced), timeoutMs: defaultTimeout("graph"), signal },
  );
}
