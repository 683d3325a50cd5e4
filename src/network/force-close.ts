import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import type { NetworkNode } from "../node/network-node.js";
import type { NetworkContext } from "./network-context.js";

/** Most blocks mined in one step while a closure resolves: the nodes react between steps (sweeps). */
const MAX_BLOCKS_PER_STEP = 50;

export interface ForceCloseOptions extends CallOptions {
  /** Which channel, when the two nodes have several (default: their only one). */
  channelId?: string;
  /** Mine until everything is resolved (`resolveClosure`) before resolving (default true). */
  resolve?: boolean;
}

/**
 * What {@link Network.forceClose} did: the channel, its commitment transaction and how many blocks it mined.
 */
export interface ForceCloseResult {
  channelId: string;
  /** The commitment transaction `from` broadcast. */
  closingTxid: string;
  /** With `resolve`: blocks mined until both sides had their funds back on-chain. */
  blocksMined?: number;
}

/**
 * `from` force-closes its channel with `to` (any node kinds) and, unless `resolve` is false, mines
 * until the closing transaction, the to-self delay and any HTLC outputs are resolved on both sides.
 */
export async function forceClose(
  net: NetworkContext,
  from: NetworkNode,
  to: NetworkNode,
  { channelId, resolve = true, timeoutMs, signal }: ForceCloseOptions = {},
): Promise<ForceCloseResult> {
  const channels = (await from.listChannels()).filter(
    (c) => c.counterpartyNodeId === to.nodeId && (channelId === undefined || c.channelId === channelId),
  );
  const [channel] = channels;
  if (channel?.fundingTxid === undefined || channel.fundingOutputIndex === undefined || channels.length > 1) {
    const what = channels.length > 1 ? `${channels.length} channels` : "no channel";
    throw badOption(
      "channelId",
      `cannot force-close: ${from.nodeName} has ${what} with ${to.nodeName}${channelId ? ` of id ${channelId}` : ""}; ${channels.length > 1 ? "name one with channelId" : "open one first"}`,
      { from: from.nodeName, to: to.nodeName },
    );
  }
  const deadline = Date.now() + (timeoutMs ?? defaultTimeout("forceClose"));
  await from.forceCloseChannel(channel);
  const funding = { txid: channel.fundingTxid, vout: channel.fundingOutputIndex };
  const spent = await net.waitFor(
    `${from.nodeName}'s commitment transaction of channel ${channel.channelId} in bitcoind's mempool`,
    () => net.bitcoind.rpc.call<{ spendingtxid?: string }[]>("gettxspendingprevout", [[funding]]),
    { until: ([s]) => s?.spendingtxid !== undefined, timeoutMs: defaultTimeout("closeBroadcast"), signal },
  );
  const closingTxid = spent[0]?.spendingtxid ?? "";
  if (!resolve) return { channelId: channel.channelId, closingTxid };
  const { blocksMined } = await resolveClosure(net, channel.channelId, [from, to], {
    timeoutMs: Math.max(1, deadline - Date.now()),
    signal,
  });
  return { channelId: channel.channelId, closingTxid, blocksMined };
}

/**
 * Mines until channel `channelId`, closed (by either side, cooperatively or not), is resolved on every
 * node of `nodes` (any kinds): closing transaction confirmed, to-self delays and HTLC outputs swept, each
 * sweep past the node's reorg threshold, the channel gone from their lists. A failure (WaitError) shows what each node
 * still waited for, with the height it is due at and the blocks left.
 */
export async function resolveClosure(
  net: NetworkContext,
  channelId: string,
  nodes: readonly NetworkNode[],
  { timeoutMs = defaultTimeout("forceClose"), signal }: CallOptions = {},
): Promise<{ blocksMined: number }> {
  const startHeight = await net.bitcoind.rpc.getBlockCount();
  const names = nodes.map((n) => n.nodeName).join(" and ");
  await net.waitFor(
    `channel ${channelId} resolved on ${names}: closing transaction, to-self delay and HTLC outputs swept, funds back on-chain`,
    async () => {
      const tip = await net.bitcoind.rpc.getBlockCount();
      const seen = await Promise.all(nodes.map((n) => n.closureClaims(channelId, tip)));
      const view = { tip, nodes: Object.fromEntries(nodes.map((n, i) => [n.nodeName, seen[i]])) };
      if (seen.every((s) => s.synced && s.claims.length === 0)) return { done: true, ...view };
      // Mine only once every node has seen the tip: each reacts to a block (sweeps, claims) when it does.
      if (seen.every((s) => s.synced)) {
        // Straight to the nearest due height; one block when something waits for the next one.
        const due = seen.flatMap((s) => s.claims.map((c) => (c.blocksLeft ? c.blocksLeft : 1)));
        await net.bitcoind.generate(Math.min(MAX_BLOCKS_PER_STEP, ...due));
      }
      return { done: false, ...view };
    },
    { until: (v) => v.done, timeoutMs, signal, maxIntervalMs: defaultTimeout("pollChannels") },
  );
  return { blocksMined: (await net.bitcoind.rpc.getBlockCount()) - startHeight };
}
