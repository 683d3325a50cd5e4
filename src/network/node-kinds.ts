import type { Bitcoind } from "../bitcoind/bitcoind.js";
import type { CallOptions } from "../common/call-options.js";
import { LdkRegtestError } from "../common/errors.js";
import { ldkServerLogPath } from "../ldk-server/config.js";
import { findLdkServerLsps2 } from "../ldk-server/executable.js";
import { findLdkServer, LdkServer } from "../ldk-server/ldk-server.js";
import { findLnd } from "../lnd/executable.js";
import { LndNode, lndLogPath } from "../lnd/lnd-node.js";
import type { NetworkNode } from "../node/network-node.js";
import type { ChainSource } from "../node/node-daemon.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import { lsps2ClientTable, lsps2ServiceTable } from "./lsps2.js";
import type { NodeSpec, Topology } from "./topology.js";

/** What any node kind is started with by a network. */
export interface NodeLaunch {
  name: string;
  spec: NodeSpec | undefined;
  storageDir: string;
  /** Watched: its death ends the node's waits. */
  bitcoind: Bitcoind;
  topology: Topology | undefined;
  /** Where an ldk-server node reads the chain: bitcoind's RPC. */
  chain: ChainSource;
  /** First start only: the wallet scans from this height (it was funded before it started). */
  rescanFromHeight: number | undefined;
  pickPorts: (count: number) => Promise<number[]>;
  signal: AbortSignal;
  /** Brings the node's channels back after a restart of the node (see `reconnect`). */
  onRestarted: (node: NetworkNode, options: CallOptions) => Promise<void>;
  /** The running node of that name (an LSPS2 client's LSP, which starts first). */
  peer: (name: string) => NetworkNode | undefined;
}

function startLdkServer(launch: NodeLaunch, executable: FoundExecutable): Promise<LdkServer> {
  return LdkServer.start({
    name: launch.name,
    alias: launch.spec?.alias,
    config: launch.spec?.config,
    liquidity: liquidityOf(launch),
    storageDir: launch.storageDir,
    rescanFromHeight: launch.rescanFromHeight,
    bitcoind: launch.chain,
    executable: executable.path,
    watch: [launch.bitcoind],
    signal: launch.signal,
    pickPorts: launch.pickPorts,
    onRestarted: launch.onRestarted,
  });
}

/** The node's `[liquidity]` table from its LSPS2 roles, if it has any; a client's reads its LSP as it runs now. */
function liquidityOf({ spec, topology, peer }: NodeLaunch): (() => Record<string, unknown>) | undefined {
  const service = spec?.lsps2_service;
  const lspName = spec?.lsps2_client;
  if (service) return () => ({ lsps2_service: lsps2ServiceTable(service) });
  if (lspName === undefined) return undefined;
  return () => {
    const lsp = peer(lspName);
    if (!lsp) {
      throw new LdkRegtestError(
        "NOT_RUNNING",
        `LSP ${lspName} is not running: it starts before its clients`,
        {
          data: { node: lspName },
        },
      );
    }
    return { lsps2_client: lsps2ClientTable(lsp, topology?.nodes[lspName]?.lsps2_service ?? {}) };
  };
}

/**
 * Each node kind: how its executable is found and how one node is started. A new kind (Core Lightning,
 * Eclair) adds an entry here and its own class; the Network's logic reaches nodes only through
 * `NetworkNode`. `prefund`: whether its wallet can be paid before it starts (ldk-server reads a seed of
 * ours; lnd makes its own wallet at start and is paid once it runs). `logPath`: its log under its dir.
 */
export const NODE_KINDS = {
  "ldk-server": { find: findLdkServer, prefund: true, logPath: ldkServerLogPath, start: startLdkServer },
  /** ldk-server's LSP build, for nodes with `lsps2_service` (see `buildOf`). */
  "ldk-server-lsps2": {
    find: findLdkServerLsps2,
    prefund: true,
    logPath: ldkServerLogPath,
    start: startLdkServer,
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
        bitcoind: launch.bitcoind,
        executable: executable.path,
        watch: [launch.bitcoind],
        signal: launch.signal,
        pickPorts: launch.pickPorts,
        onRestarted: launch.onRestarted,
      }),
  },
} as const;

/** What a node runs: its kind, or for an LSP the LSP build of ldk-server. */
export type NodeBuild = keyof typeof NODE_KINDS;

/** A node's kind (`NetworkNode.kind`). */
export type NodeKind = AnyNode["kind"];

/** Which entry of NODE_KINDS starts this node: an LSP runs ldk-server's LSP build. */
export function buildOf(topology: Topology | undefined, name: string): NodeBuild {
  const spec = topology?.nodes[name];
  if (spec?.lsps2_service !== undefined) return "ldk-server-lsps2";
  return spec?.kind ?? "ldk-server";
}

/** A node of any kind a network runs: narrow it by `kind` to reach its own client. */
export type AnyNode = LdkServer | LndNode;

/** The executable of every build a network needs, found before anything starts. */
export async function findNodeExecutables(
  kinds: Iterable<NodeBuild>,
): Promise<Partial<Record<NodeBuild, FoundExecutable>>> {
  const needed = [...new Set(kinds)];
  const found = await Promise.all(needed.map((kind) => NODE_KINDS[kind].find()));
  return Object.fromEntries(needed.map((kind, i) => [kind, found[i]]));
}
