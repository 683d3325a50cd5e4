import type { Bitcoind } from "../bitcoind/bitcoind.js";
import type { NetworkNode } from "../node/network-node.js";
import type { WaitOptions } from "../waits/wait-for.js";

/** What the network's jobs (funding, opening, confirming, reconnecting) need of the network. */
export interface NetworkContext {
  readonly bitcoind: Bitcoind;
  /** Every node, in the order of the topology. */
  readonly nodeList: readonly NetworkNode[];
  /** waitFor with every daemon of the network watched (a crash ends the wait; logs on failure). */
  waitFor<T>(condition: string, probe: () => Promise<T> | T, options?: WaitOptions<T>): Promise<T>;
}
