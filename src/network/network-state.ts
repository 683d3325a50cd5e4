import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { LdkRegtestError } from "../common/errors.js";
import type { Topology } from "../node/topology-spec.js";

/** What a persistent network dir remembers between runs: its topology, ports and node ids. */
export interface NetworkState {
  version: 1;
  topology: Topology;
  ports: { bitcoind: number[]; nodes: Record<string, number[]> };
  nodeIds: Record<string, string>;
}

const FILE = "state.json";

/** The state of the network in `dir`, or undefined when none was started there yet. */
export async function readNetworkState(dir: string): Promise<NetworkState | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, FILE), "utf8");
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as NetworkState;
  if (state.version !== 1)
    throw new LdkRegtestError(
      "STATE_CONFLICT",
      `${path.join(dir, FILE)} is from another ldk-regtest version: start it with that version, or remove the dir (ldk-regtest down --purge)`,
      { data: { dir, version: state.version } },
    );
  return state;
}

/** The daemons whose ports and ids a state records. */
interface RunningNetwork {
  bitcoind: { rpcPort: number; p2pPort: number };
  nodes: Record<string, { portNumbers: readonly number[]; nodeId: string }>;
}

/** Records a running network's topology, ports and node ids in `dir`, for the next start to resume. */
export function saveNetworkState(dir: string, topology: Topology, { bitcoind, nodes }: RunningNetwork) {
  const entries = Object.entries(nodes);
  return writeNetworkState(dir, {
    version: 1,
    topology,
    ports: {
      bitcoind: [bitcoind.rpcPort, bitcoind.p2pPort],
      nodes: Object.fromEntries(entries.map(([name, n]) => [name, [...n.portNumbers]])),
    },
    nodeIds: Object.fromEntries(entries.map(([name, n]) => [name, n.nodeId])),
  });
}

/** Writes the state atomically (a crash never leaves half a file). */
export async function writeNetworkState(dir: string, state: NetworkState): Promise<void> {
  const file = path.join(dir, FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
