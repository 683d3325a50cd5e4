import { badOption, LdkRegtestError } from "../common/errors.js";
import type { Topology } from "../node/topology-spec.js";
import { canonicalJson } from "./canonical.js";
import { type NetworkState, readNetworkState } from "./network-state.js";
import { checkTopology, loadTopology, validateNodeNames } from "./topology.js";

/** The options of `Network.start` that decide what is started where. */
export interface StartRequest {
  nodes?: readonly string[];
  topology?: Topology | string;
  dir?: string;
  cache?: boolean;
}

/** What a start will do: which nodes, which topology, and what a dir already holds. */
export interface StartPlan {
  names: string[];
  topology: Topology | undefined;
  /** The state of the network in `dir` (a resume), if any. */
  saved: NetworkState | undefined;
}

/** Checks the options against each other and against what `dir` holds, before anything starts. */
export async function planStart(request: StartRequest): Promise<StartPlan> {
  if (request.nodes && request.topology)
    throw badOption(
      "nodes",
      "pass either nodes or topology to Network.start, not both (a topology names its nodes)",
    );
  if (request.cache && (request.dir || !request.topology))
    throw badOption(
      "cache",
      "cache: true needs a topology and no dir (a cached network starts from a copy of its template)",
    );
  const saved = request.dir ? await readNetworkState(request.dir) : undefined;
  const given =
    typeof request.topology === "string"
      ? await loadTopology(request.topology)
      : request.topology && checkTopology(request.topology);
  if (saved && given && canonicalJson(given) !== canonicalJson(saved.topology)) {
    throw new LdkRegtestError(
      "STATE_CONFLICT",
      `${request.dir} holds a network with another topology; resume it without a topology, or remove that dir (ldk-regtest down --purge) to start anew`,
      { data: { dir: request.dir } },
    );
  }
  const topology =
    saved?.topology ?? given ?? (request.dir && request.nodes ? nodesOnly(request.nodes) : undefined);
  const names = topology ? Object.keys(topology.nodes) : [...(request.nodes ?? [])];
  validateNodeNames(names);
  return { names, topology, saved };
}

/** A topology of just these nodes, unfunded and without channels (what `nodes: [...]` means). */
function nodesOnly(names: readonly string[]): Topology {
  return { nodes: Object.fromEntries(names.map((n) => [n, { onchain_sats: 0 }])), channels: [] };
}
