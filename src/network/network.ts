import type { Bitcoind } from "../bitcoind/bitcoind.js";
import { BITCOIND_EXECUTABLE } from "../bitcoind/bitcoind.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption, unknownNode, wrongNodeKind } from "../common/errors.js";
import { type AnyNode, findExecutables, kindOf, type NodeKind } from "../kinds/registry.js";
import { ldkServerKind } from "../ldk-server/kind.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import { testKnobs } from "../ldk-server/test-knobs.js";
import { lndKind } from "../lnd/kind.js";
import type { LndNode } from "../lnd/lnd-node.js";
import type { ChannelOptions, NetworkNode } from "../node/network-node.js";
import type { Topology } from "../node/topology-spec.js";
import { findExecutable } from "../processes/find-executable.js";
import { RunDir } from "../processes/run-dir.js";
import type { Observable } from "../waits/diagnostics.js";
import { type WaitOptions, waitFor } from "../waits/wait-for.js";
import { buildTopology } from "./build-topology.js";
import { ChannelOpener } from "./channel-opening.js";
import { checkMoneyConserved, type MoneySnapshot, moneySnapshot } from "./conservation.js";
import { type ForceCloseOptions, forceClose, resolveClosure } from "./force-close.js";
import { type FundingAmount, fund } from "./funding.js";
import { waitForFundingInMempool } from "./funding-broadcast.js";
import { type JitChannelOptions, waitForJitChannel } from "./jit-channel.js";
import { launchDaemons } from "./launch.js";
import { mine, sync } from "./mining.js";
import type { NetworkContext } from "./network-context.js";
import { NetworkStartError, startAborted } from "./network-errors.js";
import { readNetworkState, saveNetworkState } from "./network-state.js";
import { copyTemplate, ensureTemplate, templateDir } from "./network-template.js";
import { reconnect } from "./reconnect.js";
import { type ReorgOptions, reorg } from "./reorg.js";
import { planStart, type StartPlan } from "./start-plan.js";
import { type ChannelEnds, waitForUsableChannels } from "./usable-channels.js";

/** How {@link Network.start} builds a network: node names or a topology, its dir, caching, abort signal. */
export interface NetworkOptions<N extends string> {
  /** Node names, e.g. ["alice", "bob"]: lowercase letters, digits and dashes, unique. */
  nodes?: readonly N[];
  /**
   * Nodes, their funding and channels (an object, or the path of an `ldk-regtest.toml`): the network is
   * handed out funded, with every channel usable on both sides. Instead of `nodes`.
   */
  topology?: Topology | string;
  /** Keep the run directory after stop (default: LDK_REGTEST_KEEP=1). */
  keep?: boolean;
  /**
   * A directory of your own that keeps the network between runs (never removed): the first start builds
   * the topology there; a later start resumes it — same node ids, channels and history, the same ports
   * where free, and channels usable again before it resolves. A first start that never finished (it
   * was interrupted) is built anew.
   */
  dir?: string;
  /**
   * With a topology: the first start builds it (funded, channels usable), stops it and keeps its data
   * dirs as a template in the cache; every later start copies the template into its own run dir and
   * starts from it on fresh ports, channels usable again before it resolves (about a second instead of
   * the chain waits). Keyed by topology and daemon versions. Not with `dir`.
   */
  cache?: boolean;
  /** Called once bitcoind is ready and before the nodes start (for per-phase timings). */
  onBitcoindReady?: () => void;
  /**
   * Called as each phase of the start begins, with its name as a failed start's error names it
   * (`"starting the nodes"`, `"opening the topology's channels"`…): for progress, or to interrupt a
   * chosen phase in a test.
   */
  onPhase?: (phase: string) => void;
  /** Aborting stops the start in every phase: whatever was started is stopped before `start` rejects. */
  signal?: AbortSignal;
}

/** One channel to open: from which node to which, and how. */
export type ChannelSpecOf<N extends string> = { from: N; to: N } & ChannelOptions;

/** A bitcoind and N Lightning nodes in one private run directory; the harness does all mining. */
export class Network<N extends string = string> implements NetworkContext {
  private stopping: Promise<void> | undefined;
  private readonly opener = new ChannelOpener(this);

  private constructor(
    readonly runDir: RunDir,
    readonly bitcoind: Bitcoind,
    /** Every node by name, of any kind: narrow by `kind`, or use `ldkServer(name)` / `lnd(name)`. */
    readonly nodes: Readonly<Record<N, AnyNode>>,
    /** What it was started from (a resumed network: the saved one); none for `nodes: [...]`. */
    readonly topology: Topology | undefined,
  ) {}

  /**
   * Starts bitcoind, then every node in parallel, then builds the topology (or resumes the saved
   * network). If anything fails, everything that started is stopped and a `NetworkStartError` names
   * the phase and the kept run dir; if `signal` aborts, an error of code ABORTED, and nothing is kept.
   */
  static async start<N extends string>(options: NetworkOptions<N>): Promise<Network<N>> {
    const plan = await planStart(options);
    testKnobs(); // a bad LDK_REGTEST_KNOB_* is refused before anything starts
    options.signal?.throwIfAborted();
    // Every binary first, so that a missing one is reported before anything starts.
    const [bitcoind, nodes] = await Promise.all([
      findExecutable(BITCOIND_EXECUTABLE),
      findExecutables(
        plan.names.map((name) =>
          kindOf(plan.topology?.nodes[name]).executableFor(plan.topology?.nodes[name]),
        ),
      ),
    ]);
    const executables = { bitcoind, nodes };
    const keep = options.keep === undefined ? {} : { keep: options.keep };
    if (options.cache && plan.topology) {
      const { topology } = plan;
      // Only the builds it runs, keyed by their camelCased names: an LDK-only topology keeps the key it
      // always had ({ bitcoind, ldkServer }).
      const versions: Record<string, string> = { bitcoind: bitcoind.version };
      for (const [name, found] of Object.entries(nodes))
        versions[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = found.version;
      // Built once with the binaries found above, then copied: a template never runs in place.
      const template = await ensureTemplate(templateDir(topology, versions), async (dir) => {
        const build = { ...options, dir, keep: true, cache: false };
        await (await Network.launch<N>(plan, await RunDir.open(dir), build, executables)).stop();
      });
      const runDir = await RunDir.create(keep);
      await copyTemplate(template, runDir.path);
      const saved = await readNetworkState(runDir.path);
      return Network.launch<N>({ ...plan, saved }, runDir, { ...options, freshPorts: true }, executables);
    }
    const runDir = options.dir ? await RunDir.open(options.dir) : await RunDir.create(keep);
    return Network.launch<N>(plan, runDir, options, executables);
  }

  /** Starts the daemons in `runDir`, then builds the topology there, or resumes what `plan.saved` holds. */
  private static async launch<N extends string>(
    plan: StartPlan,
    runDir: RunDir,
    options: NetworkOptions<N> & { freshPorts?: boolean },
    executables: Parameters<typeof launchDaemons>[0]["executables"],
  ): Promise<Network<N>> {
    const { topology, saved } = plan;
    let phase = "checking the options";
    const enter = (next: string) => {
      phase = next;
      options.onPhase?.(next);
    };
    let network: Network<N> | undefined;
    try {
      const launched = await launchDaemons({
        ...plan,
        runDir,
        freshPorts: options.freshPorts ?? false,
        executables,
        signal: options.signal,
        onBitcoindReady: options.onBitcoindReady,
        onPhase: enter,
        onRestarted: (node, call) => network?.reconnectAfterRestart(node, call) ?? Promise.resolve(),
      });
      const nodes = launched.nodes as Record<N, AnyNode>;
      network = new Network(runDir, launched.bitcoind, nodes, topology);
      const { signal } = options;
      if (saved) {
        enter("reconnecting the resumed nodes");
        await reconnect(network, network.nodeList, "every ready channel usable again after the resume", {
          timeoutMs: defaultTimeout("wait"),
          signal,
        });
      } else if (topology) {
        await buildTopology(network, network.opener, network.nodes, topology, launched.prefunded, {
          signal,
          onPhase: enter,
        });
      }
      if (options.dir && topology) {
        enter("saving the network's state");
        await saveNetworkState(runDir.path, topology, network);
        // Interrupted while saving: still stopped before this rejects; the next start resumes it.
        signal?.throwIfAborted();
      }
      return network;
    } catch (error) {
      const aborted = options.signal?.aborted ?? false;
      if (!aborted) runDir.retain(); // the logs named in the error must still be there
      await network?.stop({ discard: aborted }); // (launchDaemons stopped what it started itself)
      // The user stopped it: nothing to inspect. A dir of their own stays, and the next start resumes
      // it (state saved) or builds it anew (no state).
      if (aborted && !options.dir) await runDir.dispose({ discard: true });
      if (aborted) throw startAborted(phase, options.signal?.reason);
      throw new NetworkStartError(phase, runDir.path, error);
    }
  }

  /** Every node, in the order of the topology. */
  get nodeList(): NetworkNode[] {
    return Object.values<AnyNode>(this.nodes);
  }

  /** bitcoind and every node: what failure reports show. */
  get daemons(): Observable[] {
    return [this.bitcoind, ...this.nodeList];
  }

  /** waitFor with every daemon of this network watched (a crash ends the wait; logs on failure). */
  waitFor<T>(condition: string, probe: () => Promise<T> | T, options: WaitOptions<T> = {}): Promise<T> {
    return waitFor(condition, probe, { watch: this.daemons, ...options });
  }

  /**
   * Mines `blocks` (1 to 1000; aborting stops it between short batches) and waits until every node's
   * best block is the new tip.
   */
  mine(blocks = 1, options: CallOptions = {}): Promise<void> {
    return mine(this, blocks, options);
  }

  /** Waits until every node has synced to bitcoind's tip. */
  sync(options: CallOptions = {}): Promise<void> {
    return sync(this, options);
  }

  /** Replaces the last `depth` blocks with a longer chain, then waits for every node (see reorg.ts). */
  reorg(depth: number, options: ReorgOptions = {}) {
    return reorg(this, depth, options);
  }

  /** `from` force-closes its channel with `to`, then mines until both have their funds back (force-close.ts). */
  forceClose(from: N, to: N, options: ForceCloseOptions = {}) {
    return forceClose(this, this.node(from), this.node(to), options);
  }

  /** Mines until closed channel `channelId` is resolved on every node (see force-close.ts). */
  resolveClosure(channelId: string, options: CallOptions = {}) {
    return resolveClosure(this, channelId, Object.values(this.nodes), options);
  }

  /** The network's money now: on-chain totals and channel capacities (see conservation.ts). */
  money(): Promise<MoneySnapshot> {
    return moneySnapshot(this);
  }

  /** Rejects (MONEY_NOT_CONSERVED) unless the money since `before` adds up, fees accounted. */
  checkMoneyConserved(before: MoneySnapshot, options: { toleranceSats?: bigint } = {}) {
    return checkMoneyConserved(this, before, options);
  }

  /**
   * Sends on-chain funds to the nodes in one transaction, mines it, and waits until each counts its
   * amount as spendable: `{ alice: 2_000_000 }` (to a fresh address of alice's wallet), or
   * `{ alice: { address, sats } }`. Returns the txid. Amounts below 546 sat are refused before sending.
   */
  fund(amounts: Partial<Record<N, FundingAmount>>, options: CallOptions = {}): Promise<string> {
    const entries = Object.entries(amounts) as [N, FundingAmount][];
    return fund(this, new Map(entries.map(([name, amount]) => [this.node(name), amount])), options);
  }

  /**
   * Opens a channel `from` → `to` and waits until both sides can use it. Opens from the same node are
   * serialized until its wallet has seen the previous funding transaction (else a double spend).
   */
  async openChannel(from: N, to: N, options: ChannelOptions & CallOptions): Promise<ChannelEnds> {
    const [ends] = await this.openChannels([{ from, to, ...options }], options);
    return ends as ChannelEnds;
  }

  /**
   * Opens several channels at once and waits until all are usable on both sides: opens from different
   * nodes run in parallel, and one batch of blocks confirms them all.
   */
  async openChannels(specs: readonly ChannelSpecOf<N>[], options: CallOptions = {}): Promise<ChannelEnds[]> {
    const pending = await Promise.all(
      specs.map(async ({ from, to, sats, announce, pushMsat }) => {
        const [opener, acceptor] = this.pair(from, to);
        const channel = {
          sats,
          ...(announce === undefined ? {} : { announce }),
          ...(pushMsat ? { pushMsat } : {}),
        };
        const opened = await this.opener.open(opener, acceptor, channel, options);
        return { opener, acceptor, opened };
      }),
    );
    return waitForUsableChannels(this, pending, options);
  }

  /** After `from`'s own OpenChannel: its funding in bitcoind's mempool (the next blocks confirm it). */
  waitForFundingBroadcast(from: N, implementationId: string, options: CallOptions = {}) {
    return waitForFundingInMempool(this, this.node(from), implementationId, options);
  }

  /**
   * After `from` opened a channel to `to` by itself (its own client's OpenChannel): waits for the
   * funding broadcast, then until both sides report it usable, mining as needed.
   */
  async waitForUsableChannel(
    from: N,
    to: N,
    implementationId: string,
    options: CallOptions = {},
  ): Promise<ChannelEnds> {
    const [opener, acceptor] = this.pair(from, to);
    // The acceptor's death means the PENDING event will not come: it ends the wait at once.
    const opened = await opener.waitForFundingBroadcast(implementationId, { ...options, watch: [acceptor] });
    const [ends] = await waitForUsableChannels(this, [{ opener, acceptor, opened }], options);
    return ends as ChannelEnds;
  }

  /**
   * After a payment to `client`'s JIT invoice: waits for the channel its LSP `lsp` opens to it, mines
   * its confirmations and resolves once it is usable on both sides (the payment then goes through).
   */
  waitForJitChannel(lsp: N, client: N, options: JitChannelOptions = {}): Promise<ChannelEnds> {
    return waitForJitChannel(this, this.node(lsp), this.node(client), this.topology, options);
  }

  /**
   * Restarts one node (same storage, same ports when free) and resolves when every channel it has is
   * usable again on both sides. The same as `net.nodes[name].restart()`.
   */
  restart(name: N, options: CallOptions = {}): Promise<void> {
    return this.node(name).restart(options);
  }

  /** What a node's `restart()` awaits once it is up: its peers dialled, its channels usable again. */
  private reconnectAfterRestart(node: NetworkNode, options: CallOptions): Promise<void> {
    return reconnect(this, [node], `channels with ${node.nodeName} usable again after its restart`, {
      timeoutMs: options.timeoutMs ?? defaultTimeout("restart"),
      signal: options.signal,
    });
  }

  /** The ldk-server node of that name (its `client` is an `LdkServerClient`); another kind is refused. */
  ldkServer(name: N): LdkServer {
    return this.nodeOfKind(name, ldkServerKind.name);
  }

  /** The lnd node of that name (its `client` is an `LndClient`); another kind is refused. */
  lnd(name: N): LndNode {
    return this.nodeOfKind(name, lndKind.name);
  }

  /** The node of that name if it is of `kind`, typed as that kind's node; another kind is refused. */
  nodeOfKind<K extends NodeKind>(name: N, kind: K): Extract<AnyNode, { kind: K }> {
    const node = this.node(name);
    if (node.kind !== kind) {
      const { accessor } = kindOf(node);
      const typed = accessor ? `net.${accessor}("${name}")` : `net.nodeOfKind("${name}", "${node.kind}")`;
      throw wrongNodeKind(
        name,
        node.kind,
        kind,
        `use ${typed}, or net.node("${name}") for what every kind has`,
      );
    }
    return node as Extract<AnyNode, { kind: K }>;
  }

  /** The node of that name, of any kind; an unknown name is refused with the names there are. */
  node(name: N): AnyNode {
    const found = (this.nodes as Record<string, AnyNode>)[name];
    if (!found) {
      throw unknownNode(name, Object.keys(this.nodes));
    }
    return found;
  }

  private pair(from: N, to: N): [AnyNode, AnyNode] {
    if (from === to) {
      throw badOption("to", `cannot open a channel from ${from} to itself: name two different nodes`, {
        node: from,
      });
    }
    return [this.node(from), this.node(to)];
  }

  /** `await using net = await Network.start(…)`: stopped when the scope ends, however it ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Stops every node and bitcoind (in parallel, gracefully), then removes the run dir — unless it is kept
   * or a wait failed with a report naming its logs; `discard` removes it even then (an interrupted run).
   */
  stop({ discard = false }: { discard?: boolean } = {}): Promise<void> {
    // Idempotent: a signal handler and a test's teardown may both ask; the first call decides.
    this.stopping ??= (async () => {
      await Promise.allSettled(this.nodeList.map((n) => n.stop()));
      await this.bitcoind.stop();
      await this.runDir.dispose({ discard });
    })();
    return this.stopping;
  }
}
