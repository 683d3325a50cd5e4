import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import type { NetworkContext } from "./network-context.js";

/** The deepest reorg `reorg` makes: deeper ones are more likely a typo than a test. */
export const MAX_REORG_DEPTH = 100;

export interface ReorgOptions extends CallOptions {
  /**
   * Transactions of the replaced blocks (or of the mempool) to leave out of the new chain, with any
   * transaction spending them. They stay in bitcoind's mempool: the next blocks mined confirm them
   * again (a funding transaction reorged out and back in). Default: the new chain holds them all.
   */
  drop?: readonly string[];
  /** Blocks of the new chain: more than `depth` (default depth + 1), so every node switches to it. */
  blocks?: number;
}

/**
 * What {@link Network.reorg} did: the old and new tips, the replaced blocks, what they confirmed and what was
 * dropped.
 */
export interface ReorgResult {
  oldTip: { height: number; hash: string };
  newTip: { height: number; hash: string };
  /** Hashes of the blocks that left the chain, lowest first. */
  replaced: string[];
  /** The transactions those blocks confirmed (coinbases aside): what the reorg unconfirmed. */
  unconfirmed: string[];
  /** What the new chain left out: `drop` and what spends it (in the mempool now). */
  dropped: string[];
}

type MempoolEntries = Record<string, { depends: string[] }>;

/**
 * Replaces the last `depth` blocks with a longer chain (bitcoind `invalidateblock`, then mining) and
 * waits until every node follows the new tip. Bad options are refused before the chain is touched.
 */
export async function reorg(
  net: NetworkContext,
  depth: number,
  { drop = [], blocks = depth + 1, timeoutMs = defaultTimeout("reorg"), signal }: ReorgOptions = {},
): Promise<ReorgResult> {
  const { rpc } = net.bitcoind;
  const height = await rpc.getBlockCount();
  if (!Number.isSafeInteger(depth) || depth < 1 || depth > Math.min(MAX_REORG_DEPTH, height - 1)) {
    throw badOption(
      "depth",
      `cannot reorg ${String(depth)} blocks: give a whole number from 1 to ${Math.min(MAX_REORG_DEPTH, height - 1)} (the chain is at height ${height})`,
      { value: String(depth) },
    );
  }
  if (!Number.isSafeInteger(blocks) || blocks <= depth || blocks > depth + MAX_REORG_DEPTH) {
    throw badOption(
      "blocks",
      `a reorg of ${depth} blocks needs a longer new chain: give blocks from ${depth + 1} to ${depth + MAX_REORG_DEPTH} (got ${String(blocks)})`,
      { value: String(blocks) },
    );
  }
  const replaced: string[] = [];
  const unconfirmed: string[] = [];
  for (let h = height - depth + 1; h <= height; h++) {
    const hash = await rpc.call<string>("getblockhash", [h]);
    const block = await rpc.call<{ tx: string[] }>("getblock", [hash, 1]);
    replaced.push(hash);
    unconfirmed.push(...block.tx.slice(1));
  }
  const mempoolBefore = await rpc.getRawMempool();
  const unknown = drop.filter((txid) => !unconfirmed.includes(txid) && !mempoolBefore.includes(txid));
  if (unknown.length > 0) {
    throw badOption(
      "drop",
      `cannot drop ${unknown.join(", ")}: not confirmed in the last ${depth} blocks nor in the mempool (a reorg can only leave out what it replaces)`,
      { value: String(unknown.join(",")) },
    );
  }
  signal?.throwIfAborted();
  const oldTip = { height, hash: replaced.at(-1) ?? "" };
  await rpc.call("invalidateblock", [replaced[0]]);
  // The replaced blocks' transactions are back in the mempool: the first new block holds all but the
  // dropped ones.
  const entries = await rpc.call<MempoolEntries>("getrawmempool", [true]);
  const dropped = withDescendants(entries, drop);
  await net.bitcoind.generateBlock(parentsFirst(entries, dropped));
  for (let i = 1; i < blocks; i++) await net.bitcoind.generateBlock([]);
  const newTip = { height: await rpc.getBlockCount(), hash: await rpc.getBestBlockHash() };
  // The new chain is longer than the old one: a node at its height has switched to it.
  await net.waitFor(
    `every node on the new tip ${newTip.hash} at height ${newTip.height} after a reorg of ${depth} blocks (old tip ${oldTip.hash} at ${oldTip.height})`,
    async () =>
      Object.fromEntries(
        await Promise.all(net.nodeList.map(async (n) => [n.nodeName, await n.bestBlockHeight()] as const)),
      ),
    {
      until: (heights) => Object.values(heights).every((h) => h !== undefined && h >= newTip.height),
      timeoutMs,
      signal,
    },
  );
  return { oldTip, newTip, replaced, unconfirmed, dropped };
}

/** `roots` and every mempool transaction that spends one of them, directly or not. */
function withDescendants(entries: MempoolEntries, roots: readonly string[]): string[] {
  const out = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [txid, entry] of Object.entries(entries)) {
      if (!out.has(txid) && entry.depends.some((d) => out.has(d))) {
        out.add(txid);
        grew = true;
      }
    }
  }
  return [...out];
}

/** The mempool but `excluded`, each transaction after the ones it spends (a block needs that order). */
function parentsFirst(entries: MempoolEntries, excluded: readonly string[]): string[] {
  const ordered: string[] = [];
  const placed = new Set(excluded);
  const place = (txid: string) => {
    if (placed.has(txid)) return;
    placed.add(txid);
    for (const parent of entries[txid]?.depends ?? []) place(parent);
    ordered.push(txid);
  };
  for (const txid of Object.keys(entries)) place(txid);
  return ordered;
}
