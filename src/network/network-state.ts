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

/** Writes the state atomically (a crash never leaves half a file). */
export async function writeNetworkState(dir: string, state: NetworkState): Promise<void> {
  const file = path.join(dir, FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
