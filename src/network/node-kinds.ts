import type { Bitcoind } from "../bitcoind/bitcoind.js";
import type { WaitCallOptions } from "../common/durations.js";
import type { ChainSource } from "../ldk-server/config.js";
import { findLdkServer, LdkServer } from "../ldk-server/ldk-server.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import type { NodeSpec } from "./topology.js";

/** What any node kind is started with by a network. */
export interface NodeLaunch {
  name: string;
  spec: NodeSpec | undefined;
  storageDir: string;
  /** Watched: its death ends the node's waits. */
  bitcoind: Bitcoind;
  /** Where the node reads the chain: bitcoind's RPC, or the chain proxy in front of it. */
  chain: ChainSource;
  /** First start only: the wallet scans from this height (it was funded before it started). */
  rescanFromHeight: number | undefined;
  pickPorts: (count: number) => Promise<number[]>;
  signal: AbortSignal;
  /** Brings the node's channels back after a restart of the node (see `reconnect`). */
  onRestarted: (node: LdkServer, options: WaitCallOptions) => Promise<void>;
}

/**
 * Each node kind: how its executable is found and how one node is started. A new kind (LND) adds an
 * entry here and its own class; the Network's logic reaches nodes only through `NetworkNode`.
 */
export const NODE_KINDS = {
  "ldk-server": {
    find: findLdkServer,
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
} as const;

export type NodeKind = keyof typeof NODE_KINDS;
