import type { LightningBalance, PendingSweepBalance } from "../client/index.js";
import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { NetworkContext } from "./network-context.js";

/** Most blocks mined in one step while a closure resolves: the nodes react between steps (sweeps). */
const MAX_BLOCKS_PER_STEP = 50;

/** LDK counts an on-chain claim final after this many confirmations (ANTI_REORG_DELAY). */
const ANTI_REORG_DELAY = 6;

export interface ForceCloseOptions extends WaitCallOptions {
  /** Which channel, when the two nodes have several (default: their only one). */
  channelId?: string;
  /** Mine until everything is resolved (`resolveClosure`) before resolving (default true). */
  resolve?: boolean;
}

export interface ForceCloseResult {
  channelId: string;
  /** The commitment transaction `from` broadcast. */
  closingTxid: string;
  /** With `resolve`: blocks mined until both sides had their funds back on-chain. */
  blocksMined?: number;
}

/** One thing a node still waits for on a closed channel, and the height it is due at. */
export interface PendingClaim {
  /** What it is, e.g. "to_self output in its to-self delay", "HTLC 5f3a… claimable by timeout". */
  what: string;
  sats: bigint;
  /** The height it is due (mining to it helps), or undefined when the next block may resolve it. */
  dueHeight?: number;
  /** Blocks from the tip to `dueHeight`. */
  blocksLeft?: number;
}

/**
 * `from` force-closes its channel with `to` (ForceCloseChannel) and, unless `resolve` is false, mines
 * until the closing transaction, the to-self delay and any HTLC outputs are resolved on both sides.
 */
export async function forceClose(
  net: NetworkContext,
  from: LdkServer,
  to: LdkServer,
  { channelId, resolve = true, timeoutMs, signal }: ForceCloseOptions = {},
): Promise<ForceCloseResult> {
  const channels = (await from.client.listChannels()).channels.filter(
    (c) => c.counterpartyNodeId === to.nodeId && (channelId === undefined || c.channelId === channelId),
  );
  const [channel] = channels;
  if (!channel?.fundingTxo || channels.length > 1) {
    const what = channels.length > 1 ? `${channels.length} channels` : "no channel";
    throw new LdkRegtestError(
      "BAD_OPTION",
      `cannot force-close: ${from.nodeName} has ${what} with ${to.nodeName}${channelId ? ` of id ${channelId}` : ""}; ${channels.length > 1 ? "name one with channelId" : "open one first"}`,
      { data: { option: "channelId", from: from.nodeName, to: to.nodeName } },
    );
  }
  const deadline = Date.now() + (timeoutMs ?? defaultTimeout("forceClose"));
  await from.client.forceCloseChannel({
    userChannelId: channel.userChannelId,
    counterpartyNodeId: to.nodeId,
  });
  const funding = { txid: channel.fundingTxo.txid, vout: channel.fundingTxo.vout };
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
 * node of `nodes`: closing transaction confirmed, to-self delays and HTLC outputs swept, each sweep past
 * LDK's reorg threshold, the channel gone from their lists. A failure (WaitError) shows what each node
 * still waited for, with the height it is due at and the blocks left.
 */
export async function resolveClosure(
  net: NetworkContext,
  channelId: string,
  nodes: readonly LdkServer[],
  { timeoutMs = defaultTimeout("forceClose"), signal }: WaitCallOptions = {},
): Promise<{ blocksMined: number }> {
  const startHeight = await net.bitcoind.rpc.getBlockCount();
  const names = nodes.map((n) => n.nodeName).join(" and ");
  await net.waitFor(
    `channel ${channelId} resolved on ${names}: closing transaction, to-self delay and HTLC outputs swept, funds back on-chain`,
    async () => {
      const tip = await net.bitcoind.rpc.getBlockCount();
      const seen = await Promise.all(nodes.map((n) => pendingClaims(n, channelId, tip)));
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

/** What `node` still waits for on `channelId` (its balances and its channel list), as of `tip`. */
export async function pendingClaims(
  node: LdkServer,
  channelId: string,
  tip: number,
): Promise<{ height: number | undefined; synced: boolean; claims: PendingClaim[] }> {
  const [balances, channels, height] = await Promise.all([
    node.client.getBalances(),
    node.client.listChannels(),
    node.bestBlockHeight(),
  ]);
  const due = (what: string, sats: bigint, dueHeight?: number): PendingClaim =>
    dueHeight === undefined
      ? { what, sats }
      : { what, sats, dueHeight, blocksLeft: Math.max(0, dueHeight - tip) };
  const claims = [
    ...balances.lightningBalances.flatMap((b) => fromLightningBalance(b, channelId, due)),
    ...balances.pendingBalancesFromChannelClosures.flatMap((b) => fromPendingSweep(b, channelId, tip, due)),
  ];
  if (channels.channels.some((c) => c.channelId === channelId))
    claims.unshift(due("channel still listed (closing transaction not yet seen confirmed)", 0n));
  return { height, synced: height !== undefined && height >= tip, claims };
}

type Due = (what: string, sats: bigint, dueHeight?: number) => PendingClaim;

function fromLightningBalance(b: LightningBalance, channelId: string, due: Due): PendingClaim[] {
  const { value } = b.balanceType;
  if (!value || value.channelId !== channelId) return [];
  const sats = value.amountSatoshis;
  switch (b.balanceType.case) {
    case "claimableOnChannelClose":
      return [due("closing transaction unconfirmed", sats)];
    case "claimableAwaitingConfirmations":
      return [
        due(
          "output in its to-self delay / awaiting confirmations",
          sats,
          b.balanceType.value.confirmationHeight,
        ),
      ];
    case "contentiousClaimable":
      // It has the preimage and claims at once; the timeout height is the counterparty's, not a goal.
      return [
        due(`HTLC ${b.balanceType.value.paymentHash.slice(0, 8)}… being claimed with its preimage`, sats),
      ];
    case "maybeTimeoutClaimableHtlc":
      return [
        due(
          `HTLC ${b.balanceType.value.paymentHash.slice(0, 8)}… claimable by timeout`,
          sats,
          b.balanceType.value.claimableHeight,
        ),
      ];
    case "maybePreimageClaimableHtlc":
      return [
        due(
          `HTLC ${b.balanceType.value.paymentHash.slice(0, 8)}… until it expires`,
          sats,
          b.balanceType.value.expiryHeight,
        ),
      ];
    case "counterpartyRevokedOutputClaimable":
      return [due("revoked output being claimed", sats)];
    default:
      return [];
  }
}

function fromPendingSweep(b: PendingSweepBalance, channelId: string, tip: number, due: Due): PendingClaim[] {
  const { value } = b.balanceType;
  if (!value || (value.channelId !== undefined && value.channelId !== channelId)) return [];
  switch (b.balanceType.case) {
    case "pendingBroadcast":
      return [due("sweep not yet broadcast", b.balanceType.value.amountSatoshis)];
    case "broadcastAwaitingConfirmation":
      return [due("sweep broadcast, unconfirmed", b.balanceType.value.amountSatoshis)];
    case "awaitingThresholdConfirmations": {
      // Past the threshold the funds are the wallet's: ldk-node may list the sweep a while longer.
      const v = b.balanceType.value;
      const final = v.confirmationHeight + ANTI_REORG_DELAY - 1;
      if (final <= tip) return [];
      return [
        due(
          "sweep confirmed, awaiting LDK's reorg threshold",
          v.amountSatoshis,
          v.confirmationHeight + ANTI_REORG_DELAY - 1,
        ),
      ];
    }
    default:
      return [];
  }
}
