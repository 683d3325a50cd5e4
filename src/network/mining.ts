import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import type { NetworkContext } from "./network-context.js";

/**
 * The most blocks one call mines: bitcoind mines about 100 blocks a second on regtest, and a larger
 * call is more likely a typo than a need (call again for more).
 */
export const MAX_BLOCKS_PER_MINE = 1000;

/** Blocks per generatetoaddress call: an abort is seen between calls, never leaving bitcoind busy. */
const BLOCKS_PER_CALL = 50;

/** Refuses a block count that cannot work, before anything is mined. */
export function checkBlockCount(blocks: number): void {
  if (!Number.isSafeInteger(blocks) || blocks < 1 || blocks > MAX_BLOCKS_PER_MINE) {
    throw badOption(
      "blocks",
      `cannot mine ${String(blocks)} blocks: give a whole number from 1 to ${MAX_BLOCKS_PER_MINE} (call again for more)`,
      { value: String(blocks), max: MAX_BLOCKS_PER_MINE },
    );
  }
}

/** Mines `blocks` (in short calls, so that `signal` stops it between them), then waits for every node. */
export async function mine(net: NetworkContext, blocks: number, options: CallOptions = {}): Promise<void> {
  checkBlockCount(blocks);
  for (let left = blocks; left > 0; left -= BLOCKS_PER_CALL) {
    options.signal?.throwIfAborted();
    await net.bitcoind.generate(Math.min(left, BLOCKS_PER_CALL));
  }
  await sync(net, options);
}

/** Waits until every node's best block is bitcoind's tip. */
export async function sync(
  net: NetworkContext,
  { timeoutMs = defaultTimeout("wait"), signal }: CallOptions = {},
): Promise<void> {
  const tip = await net.bitcoind.rpc.getBlockCount();
  await net.waitFor(
    `all nodes synced to block ${tip}`,
    () => Promise.all(net.nodeList.map((n) => n.bestBlockHeight())),
    // At least the tip: blocks mined meanwhile (--auto-mine) take nodes past it.
    { until: (heights) => heights.every((h) => h !== undefined && h >= tip), timeoutMs, signal },
  );
}
