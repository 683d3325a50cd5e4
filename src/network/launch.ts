import { setMaxListeners } from "node:events";
import { rm } from "node:fs/promises";
import path from "node:path";
import { Bitcoind } from "../bitcoind/bitcoind.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { type AnyNode, kindOf } from "../kinds/registry.js";
import type { PrefundCapability } from "../node/kind-driver.js";
import type { NetworkNode } from "../node/network-node.js";
import type { Topology } from "../node/topology-spec.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import { avoidingPorts, preferPorts } from "../processes/port-retry.js";
import type { RunDir } from "../processes/run-dir.js";
import type { NetworkState } from "./network-state.js";
import { type Prefunded, prefund } from "./prefund.js";
import { fundingOf } from "./topology.js";

export interface LaunchRequest {
  names: readonly string[];
  runDir: RunDir;
  topology: Topology | undefined;
  saved: NetworkState | undefined;
  /** Never the saved ports (a copy of a template: the template's ports belong to another network). */
  freshPorts: boolean;
  /** bitcoind, and the nodes' builds by executable name (found before anything starts). */
  executables: { bitcoind: FoundExecutable; nodes: Record<string, FoundExecutable> };
  signal: AbortSignal | undefined;
  onBitcoindReady?: () => void;
  /** Tells the caller what is being done, for the error of a failed start. */
  onPhase: (phase: string) => void;
  onRestarted: (node: NetworkNode, options: CallOptions) => Promise<void>;
}

export interface Launched {
  bitcoind: Bitcoind;
  nodes: Record<string, AnyNode>;
  prefunded: Prefunded | undefined;
}

/**
 * Starts bitcoind, funds a new topology's nodes before they start (a chain poll less than after), then
 * starts every node in parallel, LSPS2 clients after the rest (their config names their LSP's node id
 * and address, known once it runs). If any fails (or `signal` aborts), the nodes still starting are told to
 * give up, and everything that started is stopped before this rejects.
 */
export async function launchDaemons(request: LaunchRequest): Promise<Launched> {
  const { names, runDir, topology, saved } = request;
  const ports = (previous: number[] | undefined) =>
    request.freshPorts && saved
      ? avoidingPorts([...saved.ports.bitcoind, ...Object.values(saved.ports.nodes).flat()])
      : preferPorts(previous);
  const giveUp = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, giveUp.signal]) : giveUp.signal;
  setMaxListeners(0, signal); // every node's waits listen to it: 16 nodes are not a leak
  let bitcoind: Bitcoind | undefined;
  const started: AnyNode[] = [];
  try {
    if (!saved) await removeUnfinished(runDir, names); // an interrupted first start: built anew
    request.onPhase("starting bitcoind");
    bitcoind = await Bitcoind.start({
      dataDir: await runDir.subdir("bitcoind"),
      executable: request.executables.bitcoind.path,
      signal,
      pickPorts: ports(saved?.ports.bitcoind),
    });
    request.onBitcoindReady?.();
    const chain = bitcoind;
    const storageDirs = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await runDir.subdir(name)] as const)),
    );
    const funding = !saved && topology ? prefundable(topology, storageDirs) : {};
    let prefunded: Prefunded | undefined;
    if (Object.keys(funding).length > 0) {
      request.onPhase("funding the nodes before they start");
      prefunded = await prefund(chain, funding);
    }
    signal.throwIfAborted();
    request.onPhase("starting the nodes");
    const running = new Map<string, AnyNode>();
    const startAll = (wave: readonly string[]) =>
      Promise.allSettled(
        wave.map(async (name) => {
          try {
            const spec = topology?.nodes[name];
            const kind = kindOf(spec);
            const node = (await kind.start(
              {
                name,
                spec,
                topology,
                peer: (peer) => running.get(peer),
                storageDir: storageDirs[name] as string,
                bitcoind: chain,
                rescanFromHeight: prefunded?.rescanFromHeight,
                pickPorts: ports(saved?.ports.nodes[name]),
                signal,
                onRestarted: request.onRestarted,
              },
              // found before anything started
              request.executables.nodes[kind.executableFor(spec).spec.name] as FoundExecutable,
            )) as AnyNode; // a registered test kind's node stands in for one

            started.push(node);
            running.set(name, node);
            return [name, node] as const;
          } catch (error) {
            giveUp.abort(`${name} failed to start`); // the others need not finish starting
            throw error;
          }
        }),
      );
    const isClient = (name: string) => topology?.nodes[name]?.lsps2_client !== undefined;
    const results: PromiseSettledResult<unknown>[] = await startAll(names.filter((n) => !isClient(n)));
    if (!results.some((r) => r.status === "rejected"))
      results.push(...(await startAll(names.filter(isClient))));
    // The first failure is the story; the others are mostly "gave up because it failed".
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    const nodes = names.map((name) => [name, running.get(name) as AnyNode] as const);
    return { bitcoind, nodes: Object.fromEntries(nodes), prefunded };
  } catch (error) {
    const grace = defaultTimeout("failedStartGrace");
    await Promise.allSettled(started.map((n) => n.stop(grace)));
    await bitcoind?.stop(grace);
    throw error;
  }
}

/**
 * A dir without state was never handed out: a first start that was interrupted or failed. What it left
 * (a wallet seed written before its node started, half a chain) would break the next start, so the
 * daemons' dirs are removed and it starts from scratch.
 */
async function removeUnfinished(runDir: RunDir, names: readonly string[]): Promise<void> {
  await Promise.all(
    ["bitcoind", ...names].map((name) => rm(path.join(runDir.path, name), { recursive: true, force: true })),
  );
}

/**
 * The nodes of a new topology that start with on-chain funds and whose kind can be paid before it
 * starts (the others are paid by `buildTopology` once they run).
 */
function prefundable(
  topology: Topology,
  storageDirs: Record<string, string>,
): Record<string, { storageDir: string; sats: number; prefund: PrefundCapability }> {
  return Object.fromEntries(
    Object.entries(fundingOf(topology)).flatMap(([name, sats]) => {
      const prefund = kindOf(topology.nodes[name]).capabilities.prefund;
      if (sats <= 0 || !prefund) return [];
      return [[name, { storageDir: storageDirs[name] as string, sats, prefund }]];
    }),
  );
}
