import type { Bitcoind } from "../bitcoind/bitcoind.js";
import type { WaitCallOptions } from "../common/durations.js";
import { type ChainSource, ldkServerLogPath } from "../ldk-server/config.js";
import { findLdkServer, LdkServer } from "../ldk-server/ldk-server.js";
import { findLnd } from "../lnd/executable.js";
import { LndNode, lndLogPath } from "../lnd/lnd-node.js";
import type { NetworkNode } from "../node/network-node.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import type { NodeSpec } from "./topology.js";

/** What any node kind is started with by a network. */
export interface NodeLaunch {
  name: string;
  spec: NodeSpec | undefined;
  storageDir: string;
  /** Watched: its death ends the node's waits. */
  bitcoind: Bitcoind;
  /** Where an ldk-server node reads the chain: bitcoind's RPC, or the chain proxy in front of it. */
  chain: ChainSource;
  /** First start only: the wallet scans from this height (it was funded before it started). */
  rescanFromHeight: number | undefined;
  pickPorts: (count: number) => Promise<number[]>;
  signal: AbortSignal;
  /** Brings the node's channels back after a restart of the node (see `reconnect`). */
  onRestarted: (node: NetworkNode, options: WaitCallOptions) => Promise<void>;
}

/**
 * Each node kind: how its executable is found and how one node is started. A new kind (Core Lightning,
 * Eclair) adds an entry here and its own class; the Network's logic reaches nodes only through
 * `NetworkNode`. `prefund`: whether its wallet can be paid before it starts (ldk-server reads a seed of
 * ours; lnd makes its own wallet at start and is paid once it runs). `logPath`: its log under its dir.
 */
export const NODE_KINDS = {
  "ldk-server": {
    find: findLdkServer,
    prefund: true,
    logPath: ldkServerLogPath,
    start: (launch: NodeLaunch, executable: FoundExecutable): Promise<LdkServer> =>
      LdkServer.start({
        name: launch.name,
        alias: launch.spec?.alias,
        config: launch.spec?.config,
        storageDir: launch.storageDir,
        rescanFromHeight: launch.rescanFromHeight,
        bitcoind: launch.chain,
        executable: executable.path,
        watch: [launch.bitcoind],
        signal: launch.signal,
        pickPorts: launch.pickPorts,
        onRestarted: launch.onRestarted,
      }),
  },
  lnd: {
    find: () => findLnd(),
    prefund: false,
    logPath: lndLogPath,
    start: (launch: NodeLaunch, executable: FoundExecutable): Promise<LndNode> =>
      LndNode.start({
        name: launch.name,
        alias: launch.spec?.alias,
        config: launch.spec?.config,
        storageDir: launch.storageDir,
        // lnd polls bitcoind itself every 100 ms: the chain proxy is for ldk-server's 2 s polls.
        bitcoind: launch.bitcoind,
        executable: executable.path,
        watch: [launch.bitcoind],
        signal: launch.signal,
        pickPorts: launch.pickPorts,
        onRestarted: launch.onRestarted,
      }),
  },
} as const;

export type NodeKind = keyof typeof NODE_KINDS;

/** A node of any kind a network runs: narrow it by `kind` to reach its own client. */
export type AnyNode = LdkServer | LndNode;

/** The executable of every kind a network needs, found before anything starts. */
export async function findNodeExecutables(
  kinds: Iterable<NodeKind>,
): Promise<Partial<Record<NodeKind, FoundExecutable>>> {
  const needed = [...new Set(kinds)];
  const found = await Promise.all(needed.map((kind) => NODE_KINDS[kind].find()));
  return Object.fromEntries(needed.map((kind, i) => [kind, found[i]]));
}
