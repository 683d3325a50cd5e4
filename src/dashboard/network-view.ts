import type { DevnetOperations } from "../devnet/operations.js";
import { kindOf } from "../kinds/registry.js";
import type { Network } from "../network/network.js";
import type { NodeActivity } from "../node/kind-driver.js";
import type { NetworkNode } from "../node/network-node.js";
import { tailLines } from "../processes/log-tail.js";

/** How many payments, forwards and log lines the page shows per node. */
const RECENT = 8;
const LOG_LINES = 12;

/** A kind without payment history here still shows its balances, channels and log. */
const NO_ACTIVITY = async (): Promise<NodeActivity> => ({ payments: [], forwards: [] });

/**
 * What the page draws: the CLI's `status` (the same operation), and per node its kind, recent
 * payments and forwards, and log tail. JSON-able, so a change is seen by comparing two snapshots.
 */
export async function networkView(network: Network, operations: Pick<DevnetOperations, "status">) {
  const status = await operations.status();
  const nodes = network.nodes as Readonly<Record<string, NetworkNode>>;
  const extras = await Promise.all(
    Object.entries(nodes).map(async ([name, node]) => {
      const { activity } = kindOf(node);
      // A node that does not answer shows no activity; `status` says why.
      const [recent, log] = await Promise.all([
        node.exitInfo || !activity ? NO_ACTIVITY() : activity(node, RECENT).catch(NO_ACTIVITY),
        tailLines(node.logPath, LOG_LINES),
      ]);
      return [name, { kind: node.kind, ...recent, log }] as const;
    }),
  );
  const more = Object.fromEntries(extras);
  return {
    height: status.height,
    bitcoind: status.bitcoind,
    nodes: Object.fromEntries(
      Object.entries(status.nodes).map(([name, n]) => [name, { ...n, ...more[name] }]),
    ),
  };
}

export type NetworkView = Awaited<ReturnType<typeof networkView>>;
