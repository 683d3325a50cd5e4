import type { Bitcoind } from "../bitcoind/bitcoind.js";
import { LdkRegtestError } from "../common/errors.js";
import type { NetworkContext } from "./network-context.js";

/** The value of an anchor output (P2WSH): one nobody spends stays on-chain, out of every wallet. */
const ANCHOR_SATS = 330n;

/** The network's money at one moment: each node's on-chain total and the channels' funding outputs. */
export interface MoneySnapshot {
  height: number;
  /** Transactions in the mempool then (their fees are already out of the wallets' totals). */
  mempool: string[];
  /** Each node's total on-chain balance (confirmed or not). */
  onchainSats: Record<string, bigint>;
  /** Each open channel's capacity, once per channel (its funding output: balances, reserves, HTLCs, fees). */
  channelSats: Record<string, bigint>;
  totalSats: bigint;
}

/** How the money moved between two snapshots, and whether it adds up. */
export interface MoneyReport {
  before: MoneySnapshot;
  after: MoneySnapshot;
  /** On-chain fees of the nodes' transactions since `before` (fundings, closes, sweeps, anchors). */
  feesSats: bigint;
  /** Sent to the nodes by the harness wallet (`net.fund`). */
  inflowSats: bigint;
  /** Sent by the nodes to the harness wallet. */
  outflowSats: bigint;
  /** Anchor outputs left unspent on-chain (in no wallet, not lost). */
  strandedSats: bigint;
  /** after − (before + inflow − outflow − fees − stranded): 0 when nothing was lost or made up. */
  discrepancySats: bigint;
}

/**
 * The money of every node: on-chain totals and channel capacities (so an HTLC in flight, a reserve or a
 * commitment fee is counted in its channel). Take snapshots when no closure is being resolved: a
 * closed channel's outputs count again once they are swept back into a wallet.
 */
export async function moneySnapshot(net: NetworkContext): Promise<MoneySnapshot> {
  const height = await net.bitcoind.rpc.getBlockCount();
  const mempool = await net.bitcoind.rpc.getRawMempool();
  const onchainSats: Record<string, bigint> = {};
  const channelSats: Record<string, bigint> = {};
  await Promise.all(
    net.nodeList.map(async (node) => {
      const [balances, channels] = await Promise.all([node.balances(), node.listChannels()]);
      onchainSats[node.nodeName] = balances.totalOnchainSats;
      for (const c of channels) channelSats[c.channelId] = c.channelValueSats;
    }),
  );
  const sum = (r: Record<string, bigint>) => Object.values(r).reduce((a, b) => a + b, 0n);
  return { height, mempool, onchainSats, channelSats, totalSats: sum(onchainSats) + sum(channelSats) };
}

/**
 * Takes a snapshot now and accounts for the money since `before` from the chain: fees of the nodes'
 * transactions, what the harness wallet sent them or received from them, anchors left unspent.
 * Rejects with MONEY_NOT_CONSERVED (the report in `data`) when more than `toleranceSats` is missing or
 * appeared; resolves with the report otherwise.
 */
export async function checkMoneyConserved(
  net: NetworkContext,
  before: MoneySnapshot,
  { toleranceSats = 0n }: { toleranceSats?: bigint } = {},
): Promise<MoneyReport> {
  const after = await moneySnapshot(net);
  const flows = await chainFlows(net.bitcoind, before, after);
  const expected =
    before.totalSats + flows.inflowSats - flows.outflowSats - flows.feesSats - flows.strandedSats;
  const report: MoneyReport = { before, after, ...flows, discrepancySats: after.totalSats - expected };
  const off = report.discrepancySats < 0n ? -report.discrepancySats : report.discrepancySats;
  if (off > toleranceSats) {
    const text = (v: bigint) => v.toString();
    throw new LdkRegtestError(
      "MONEY_NOT_CONSERVED",
      `the network's money does not add up: ${text(after.totalSats)} sat now, ${text(expected)} expected (${text(before.totalSats)} at height ${before.height} + ${text(flows.inflowSats)} in − ${text(flows.outflowSats)} out − ${text(flows.feesSats)} fees − ${text(flows.strandedSats)} in unspent anchors): ${text(report.discrepancySats)} sat off. Take both snapshots with no closure being resolved (see resolveClosure). Per node now: ${JSON.stringify(after.onchainSats, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
      { data: { discrepancySats: report.discrepancySats.toString(), height: after.height } },
    );
  }
  return report;
}

type Flows = Pick<MoneyReport, "feesSats" | "inflowSats" | "outflowSats" | "strandedSats">;

interface ChainTx {
  txid: string;
  fee?: number;
  vin: { coinbase?: string }[];
  vout: { value: number; n: number; scriptPubKey: { type: string } }[];
}

/** Fees, harness flows and stranded anchors of the transactions since `before` (blocks and mempool). */
async function chainFlows(bitcoind: Bitcoind, before: MoneySnapshot, after: MoneySnapshot): Promise<Flows> {
  const { rpc } = bitcoind;
  const txs: ChainTx[] = [];
  for (let h = before.height + 1; h <= after.height; h++) {
    const hash = await rpc.call<string>("getblockhash", [h]);
    txs.push(...(await rpc.call<{ tx: ChainTx[] }>("getblock", [hash, 2])).tx);
  }
  for (const txid of after.mempool) {
    const entry = await rpc.call<{ fees: { base: number } }>("getmempoolentry", [txid]);
    const raw = await rpc.call<ChainTx>("getrawtransaction", [txid, true]);
    txs.push({ ...raw, fee: entry.fees.base });
  }
  const flows: Flows = { feesSats: 0n, inflowSats: 0n, outflowSats: 0n, strandedSats: 0n };
  const seenBefore = new Set(before.mempool);
  const sats = (btc: number) => BigInt(Math.round(btc * 100_000_000));
  for (const tx of txs) {
    if (tx.vin.some((i) => i.coinbase !== undefined) || seenBefore.has(tx.txid)) continue;
    const share = await bitcoind.harnessShare(tx.txid);
    if (share?.fromHarness) {
      flows.inflowSats += share.sentSats;
      continue;
    }
    flows.feesSats += sats(tx.fee ?? 0);
    flows.outflowSats += share?.receivedSats ?? 0n;
    for (const out of tx.vout) {
      if (sats(out.value) !== ANCHOR_SATS || out.scriptPubKey.type !== "witness_v0_scripthash") continue;
      const unspent = await rpc.call<unknown>("gettxout", [tx.txid, out.n, true]);
      if (unspent !== null) flows.strandedSats += ANCHOR_SATS;
    }
  }
  return flows;
}
