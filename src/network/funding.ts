import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import type { NetworkNode } from "../node/network-node.js";
import type { NetworkContext } from "./network-context.js";

/** Below this bitcoind refuses an output as dust. */
export const MIN_FUNDING_SATS = 546;

/** What to send a node: an amount (to a fresh address of its wallet), or an amount to a given address. */
export type FundingAmount = number | bigint | { address: string; sats: number | bigint };

/**
 * Sends on-chain funds to the nodes in one transaction, mines it, and waits until each receiving node
 * counts its amount as spendable (funds are spendable after one confirmation). Returns the txid.
 */
export async function fund(
  net: NetworkContext,
  amounts: ReadonlyMap<NetworkNode, FundingAmount>,
  options: CallOptions = {},
): Promise<string> {
  const outputs = await Promise.all(
    [...amounts].map(async ([node, amount]) => {
      const { address, sats } =
        typeof amount === "object" ? amount : { address: await node.newAddress(), sats: amount };
      checkFundingSats(node.nodeName, sats);
      return { node, address, sats: BigInt(sats) };
    }),
  );
  options.signal?.throwIfAborted();
  const txid = await net.bitcoind.send(Object.fromEntries(outputs.map((o) => [o.address, o.sats])));
  await net.bitcoind.generate(1);
  await waitForSpendable(net, new Map(outputs.map((o) => [o.node, o.sats])), txid, options);
  return txid;
}

/** Refuses what bitcoind would refuse, before anything is sent. */
export function checkFundingSats(node: string, sats: number | bigint): void {
  const ok =
    typeof sats === "bigint"
      ? sats >= MIN_FUNDING_SATS
      : Number.isSafeInteger(sats) && sats >= MIN_FUNDING_SATS;
  if (!ok) {
    throw badOption(
      "sats",
      `cannot fund ${node} with ${String(sats)} sat: give a whole number of sats, at least ${MIN_FUNDING_SATS} (bitcoind refuses smaller outputs as dust)`,
      { node, value: String(sats), min: MIN_FUNDING_SATS },
    );
  }
}

/** Waits until each node counts (at least) its amount of `txid`'s funds as spendable. */
export async function waitForSpendable(
  net: NetworkContext,
  sats: ReadonlyMap<NetworkNode, number | bigint>,
  txid: string,
  { timeoutMs = defaultTimeout("wait"), signal }: CallOptions = {},
): Promise<void> {
  const entries = [...sats];
  await net.waitFor(
    `funding transaction ${txid} spendable on ${entries.map(([n]) => n.nodeName).join(", ")}`,
    () => Promise.all(entries.map(async ([node]) => (await node.balances()).spendableOnchainSats)),
    {
      until: (balances) => balances.every((b, i) => b >= BigInt(entries[i]?.[1] ?? 0)),
      timeoutMs,
      signal,
    },
  );
}
