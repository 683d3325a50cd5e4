import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { NetworkNode } from "../node/network-node.js";
import type { Topology } from "../node/topology-spec.js";
import type { ChannelOpener } from "./channel-opening.js";
import { fund, waitForSpendable } from "./funding.js";
import { mine } from "./mining.js";
import type { NetworkContext } from "./network-context.js";
import type { Prefunded } from "./prefund.js";
import { fundingOf } from "./topology.js";
import { waitForUsableChannels } from "./usable-channels.js";

/** BOLT 7: a channel is announced once its funding transaction has this many confirmations. */
const ANNOUNCEMENT_CONFIRMATIONS = 6;

/** How `buildTopology` runs: its abort signal, and who hears of each phase as it begins. */
export interface BuildOptions extends CallOptions {
  onPhase?: (phase: string) => void;
}

/**
 * Brings a new topology to life: waits for the funds sent before the nodes started (and pays the
 * nodes that could not be paid before they started: lnd makes its own wallet), opens every
 * channel at once (one batch of blocks confirms them all), then mines until every announced channel can
 * be announced and waits until every node's graph holds them all (nodes route by their graph). Each
 * phase is named to `onPhase` as it begins.
 */
export async function buildTopology(
  net: NetworkContext,
  opener: ChannelOpener,
  nodes: Readonly<Record<string, NetworkNode>>,
  topology: Topology,
  prefunded: Prefunded | undefined,
  { signal, onPhase = () => {} }: BuildOptions = {},
): Promise<void> {
  const node = (name: string) => nodes[name] as NetworkNode;
  const unpaid = Object.entries(fundingOf(topology)).filter(
    ([name, sats]) => sats > 0 && prefunded?.sats[name] === undefined,
  );
  if (prefunded || unpaid.length > 0) onPhase("funding the nodes");
  if (prefunded) {
    const sats = new Map(Object.entries(prefunded.sats).map(([name, s]) => [node(name), s] as const));
    await waitForSpendable(net, sats, prefunded.txid, { signal });
  }
  if (unpaid.length > 0)
    await fund(net, new Map(unpaid.map(([name, sats]) => [node(name), sats])), { signal });
  const channels = topology.channels ?? [];
  if (channels.length === 0) return;
  onPhase("opening the topology's channels");
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
  onPhase("confirming the channels");
  const ends = await waitForUsableChannels(net, pending, { signal });
  const announced = ends.filter((_, i) => channels[i]?.announce ?? true);
  if (announced.length === 0) return;
  onPhase("announcing the channels");
  // An acceptor may take a channel into use before it can be announced (lnd on regtest: at one
  // confirmation). A funding that reached the mempool while the batch of confirmations was being mined
  // is usable after the batch's last blocks, and without more blocks no graph would ever hold it.
  const depth = Math.min(...announced.map((e) => Math.min(e.opener.confirmations, e.acceptor.confirmations)));
  if (depth < ANNOUNCEMENT_CONFIRMATIONS) await mine(net, ANNOUNCEMENT_CONFIRMATIONS - depth, { signal });
  await net.waitFor(
    `every node's graph holds the ${announced.length} announced channels`,
    () => Promise.all(net.nodeList.map((n) => n.graphChannelCount())),
    {
      until: (counts) => counts.every((n) => n >= announced.length),
      timeoutMs: defaultTimeout("graph"),
      signal,
    },
  );
}
