import { setMaxListeners } from "node:events";
import { BITCOIND_EXECUTABLE, Bitcoind } from "../bitcoind/bitcoind.js";
import { type Channel, ChannelState, type ChannelStateChanged } from "../client/index.js";
import { findLdkServer, LdkServer } from "../ldk-server/ldk-server.js";
import { type FoundExecutable, findExecutable } from "../processes/find-executable.js";
import { avoidingPorts, preferPorts } from "../processes/port-retry.js";
import { RunDir } from "../processes/run-dir.js";
import type { Observable } from "../waits/diagnostics.js";
import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import { FatalWaitError, type WaitOptions, waitFor } from "../waits/wait-for.js";
import { type NetworkState, readNetworkState, writeNetworkState } from "./network-state.js";
import { copyTemplate, ensureTemplate, templateDir } from "./network-template.js";
import { type Prefunded, prefund } from "./prefund.js";
import { checkTopology, fundingOf, loadTopology, type Topology, validateNodeNames } from "./topology.js";

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
   * where free, and channels usable again before it resolves.
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
  /** Aborting stops the start in every phase: whatever was started is stopped before `start` rejects. */
  signal?: AbortSignal;
}

/** How a channel is opened: its capacity, whether it is announced, and what is pushed to the acceptor. */
export interface ChannelOptions {
  sats: number | bigint;
  /** Announce it to the network (needed to forward through it); default false. */
  announce?: boolean;
  pushMsat?: bigint;
}

/** How long a funding transaction may be neither in the mempool nor confirmed before it counts as lost. */
const FUNDING_BROADCAST_GRACE_MS = 10_000;

/** ldk-node waits for this many confirmations before a channel is ready (LDK's default minimum_depth). */
export const CHANNEL_CONFIRMATIONS = 6;

/** A bitcoind and N ldk-server nodes in one private run directory; the harness does all mining. */
export class Network<N extends string = string> {
  private stopping: Promise<void> | undefined;
  private readonly opening = new Map<LdkServer, Promise<void>>();

  private constructor(
    readonly runDir: RunDir,
    readonly bitcoind: Bitcoind,
    readonly nodes: Record<N, LdkServer>,
  ) {}

  /**
   * Starts bitcoind, then every node in parallel. If any of them fails (or `signal` aborts), the nodes
   * still starting are told to give up, and everything that started is stopped before this rejects.
   */
  static async start<N extends string>(options: NetworkOptions<N>): Promise<Network<N>> {
    if (options.nodes && options.topology)
      throw new Error(
        "pass either nodes or topology to Network.start, not both (a topology names its nodes)",
      );
    if (options.cache && (options.dir || !options.topology))
      throw new Error(
        "cache: true needs a topology and no dir (a cached network starts from a copy of its template)",
      );
    let saved = options.dir ? await readNetworkState(options.dir) : undefined;
    const given =
      typeof options.topology === "string"
        ? await loadTopology(options.topology)
        : options.topology && checkTopology(options.topology);
    if (saved && given && JSON.stringify(given) !== JSON.stringify(saved.topology)) {
      throw new Error(
        `${options.dir} holds a network with another topology; resume it without a topology, or remove that dir (ldk-regtest down --purge) to start anew`,
      );
    }
    const topology =
      saved?.topology ?? given ?? (options.dir && options.nodes ? nodesOnly(options.nodes) : undefined);
    const names = (topology ? Object.keys(topology.nodes) : (options.nodes ?? [])) as N[];
    validateNodeNames(names);
    options.signal?.throwIfAborted();
    // Resolve both binaries first so a missing one is reported before anything starts.
    const [bitcoindExe, ldkServerExe] = await Promise.all([
      findExecutable(BITCOIND_EXECUTABLE),
      findLdkServer(),
    ]);
    let runDir: RunDir;
    if (options.cache && topology) {
      // Built once with the binaries found above, then copied: a template never runs in place.
      const versions = { bitcoind: bitcoindExe.version, ldkServer: ldkServerExe.version };
      const template = await ensureTemplate(templateDir(topology, versions), async (dir) => {
        const build = { topology, dir, signal: options.signal };
        await (
          await Network.launch(names, await RunDir.open(dir), undefined, build, bitcoindExe, ldkServerExe)
        ).stop();
      });
      runDir = await RunDir.create(options.keep === undefined ? {} : { keep: options.keep });
      await copyTemplate(template, runDir.path);
      saved = await readNetworkState(runDir.path);
    } else {
      runDir = options.dir
        ? await RunDir.open(options.dir)
        : await RunDir.create(options.keep === undefined ? {} : { keep: options.keep });
    }
    const freshPorts = Boolean(options.cache);
    return Network.launch<N>(
      names,
      runDir,
      saved,
      { ...options, topology, freshPorts },
      bitcoindExe,
      ldkServerExe,
    );
  }

  /** Starts the daemons in `runDir`, then builds the topology there, or resumes what `saved` describes. */
  private static async launch<N extends string>(
    names: N[],
    runDir: RunDir,
    saved: NetworkState | undefined,
    options: Omit<NetworkOptions<N>, "topology"> & { topology?: Topology; freshPorts?: boolean },
    bitcoindExe: FoundExecutable,
    ldkServerExe: FoundExecutable,
  ): Promise<Network<N>> {
    const topology = saved?.topology ?? options.topology;
    const ports = (previous: number[] | undefined) =>
      options.freshPorts && saved
        ? avoidingPorts([...saved.ports.bitcoind, ...Object.values(saved.ports.nodes).flat()])
        : preferPorts(previous);
    const giveUp = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, giveUp.signal]) : giveUp.signal;
    setMaxListeners(0, signal); // every node's waits listen to it: 16 nodes are not a leak
    let bitcoind: Bitcoind | undefined;
    const started: LdkServer[] = [];
    try {
      bitcoind = await Bitcoind.start({
        dataDir: await runDir.subdir("bitcoind"),
        executable: bitcoindExe.path,
        signal,
        pickPorts: ports(saved?.ports.bitcoind),
      });
      options.onBitcoindReady?.();
      const chain = bitcoind;
      const storageDirs = Object.fromEntries(
        await Promise.all(names.map(async (name) => [name, await runDir.subdir(name)] as const)),
      ) as Record<N, string>;
      // A new topology's nodes are funded before they start: a chain poll (2 s) less than funding after.
      const funding = !saved && topology ? positiveFunding(topology) : {};
      const prefunded =
        Object.keys(funding).length > 0 ? await prefund(chain, storageDirs, funding) : undefined;
      const results = await Promise.allSettled(
        names.map(async (name) => {
          try {
            const node = await LdkServer.start({
              name,
              alias: topology?.nodes[name]?.alias,
              config: topology?.nodes[name]?.config,
              storageDir: storageDirs[name],
              rescanFromHeight: prefunded?.rescanFromHeight,
              bitcoind: chain,
              executable: ldkServerExe.path,
              watch: [chain],
              signal,
              pickPorts: ports(saved?.ports.nodes[name]),
            });
            started.push(node);
            return [name, node] as const;
          } catch (error) {
            giveUp.abort(`${name} failed to start`); // the others need not finish starting
            throw error;
          }
        }),
      );
      // The first failure is the story; the others are mostly "gave up because it failed".
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      const nodes = results.map((r) => (r as PromiseFulfilledResult<readonly [N, LdkServer]>).value);
      const network = new Network(runDir, bitcoind, Object.fromEntries(nodes) as Record<N, LdkServer>);
      try {
        if (saved) await network.reconnect();
        else if (topology) await network.build(topology, prefunded);
        if (options.dir && topology) await network.saveState(topology);
      } catch (error) {
        await network.stop(); // keeps the run dir: the wait that failed named its logs
        throw error;
      }
      return network;
    } catch (error) {
      await Promise.allSettled(started.map((n) => n.stop(5000)));
      await bitcoind?.stop(5000);
      if (options.signal?.aborted) {
        await runDir.dispose({ discard: true }); // the user stopped it: nothing to inspect
      } else {
        runDir.retain(); // the logs named in the error must still be there
        if (error instanceof Error) error.message += `\n  run dir kept for inspection: ${runDir.path}`;
      }
      throw error;
    }
  }

  /** Waits for the funds sent before the nodes started, then opens every channel of the topology at once. */
  private async build(topology: Topology, prefunded: Prefunded | undefined): Promise<void> {
    if (prefunded) await this.waitForSpendable(prefunded.sats as Partial<Record<N, number>>, prefunded.txid);
    const channels = topology.channels ?? [];
    if (channels.length === 0) return;
    await this.openChannels(
      channels.map((c) => ({
        from: c.from as N,
        to: c.to as N,
        sats: c.sats,
        announce: c.announce ?? true,
        ...(c.push_sats ? { pushMsat: BigInt(c.push_sats) * 1000n } : {}),
      })),
    );
    // Nodes route by their graph: hand the network out once every node has every announced channel.
    const announced = channels.filter((c) => c.announce ?? true).length;
    if (announced > 0) {
      await this.waitFor(
        `every node's graph holds the ${announced} announced channels`,
        () =>
          Promise.all(
            Object.values<LdkServer>(this.nodes).map(
              async (n) => (await n.client.graphListChannels()).shortChannelIds.length,
            ),
          ),
        { until: (counts) => counts.every((n) => n >= announced), timeoutMs: 60_000 },
      );
    }
  }

  /**
   * After a resume: every node that has a channel dials its counterparty at its current address (ports
   * may have changed; ldk-node alone would retry only every 60 s), then waits until every channel that
   * was ready is usable again on both sides.
   */
  private async reconnect(timeoutMs = defaultTimeout("wait")): Promise<void> {
    const nodes = Object.values<LdkServer>(this.nodes);
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    // Dials each pair once (from the lower node id: two nodes dialling each other at once make LDK drop a
    // connection) and returns every channel. A failed dial is not fatal: the next probe dials again.
    const dial = async (onlyUnusable: boolean): Promise<Channel[]> => {
      const lists = await Promise.all(
        nodes.map(async (n) => [n, (await n.client.listChannels()).channels] as const),
      );
      const pairs = new Map<string, [LdkServer, LdkServer]>();
      for (const [node, channels] of lists) {
        for (const c of channels) {
          const peer = byId.get(c.counterpartyNodeId);
          if (!peer || (onlyUnusable && (c.isUsable || !c.isChannelReady))) continue;
          const [a, b] = node.nodeId < peer.nodeId ? [node, peer] : [peer, node];
          pairs.set(`${a.nodeId}${b.nodeId}`, [a, b]);
        }
      }
      await Promise.all(
        [...pairs.values()].map(([a, b]) =>
          a.client
            .connectPeer({ nodePubkey: b.nodeId, address: b.p2pAddress, persist: true })
            .catch(() => {}),
        ),
      );
      return lists.flatMap(([, channels]) => channels);
    };
    await dial(false);
    await this.waitFor("every ready channel usable again after the resume", () => dial(true), {
      until: (channels) => channels.every((c) => !c.isChannelReady || c.isUsable),
      timeoutMs,
    });
  }

  /** Records topology, ports and node ids in the network's dir, for the next start to resume. */
  private async saveState(topology: Topology): Promise<void> {
    const nodes = Object.entries<LdkServer>(this.nodes);
    await writeNetworkState(this.runDir.path, {
      version: 1,
      topology,
      ports: {
        bitcoind: [this.bitcoind.rpcPort, this.bitcoind.p2pPort],
        nodes: Object.fromEntries(nodes.map(([name, n]) => [name, n.portNumbers])),
      },
      nodeIds: Object.fromEntries(nodes.map(([name, n]) => [name, n.nodeId])),
    });
  }

  /** bitcoind and every node: what failure reports show. */
  get daemons(): Observable[] {
    return [this.bitcoind, ...Object.values<LdkServer>(this.nodes)];
  }

  /** waitFor with every daemon of this network watched (a crash ends the wait; logs on failure). */
  waitFor<T>(condition: string, probe: () => Promise<T> | T, options: WaitOptions<T> = {}): Promise<T> {
    return waitFor(condition, probe, { watch: this.daemons, ...options });
  }

  /** Mines `blocks` and waits until every node's best block is the new tip. */
  async mine(blocks = 1, options: WaitCallOptions = {}): Promise<void> {
    await this.bitcoind.mine(blocks);
    await this.sync(options);
  }

  /** Waits until every node has synced to bitcoind's tip (nodes poll bitcoind every 2 s). */
  async sync({ timeoutMs = defaultTimeout("wait"), signal }: WaitCallOptions = {}): Promise<void> {
    const tip = await this.bitcoind.rpc.getBlockCount();
    await this.waitFor(
      `all nodes synced to block ${tip}`,
      () =>
        Promise.all(
          Object.values<LdkServer>(this.nodes).map(
            async (n) => (await n.client.getNodeInfo()).currentBestBlock?.height,
          ),
        ),
      { until: (heights) => heights.every((h) => h === tip), timeoutMs, signal },
    );
  }

  /**
   * Sends on-chain funds to the given addresses in one transaction, mines it, and waits until each
   * receiving node counts the amount as spendable (funds are spendable after one confirmation).
   */
  async fund(
    amountsSats: Partial<Record<N, { address: string; sats: number | bigint }>>,
    { timeoutMs = defaultTimeout("wait"), signal }: WaitCallOptions = {},
  ): Promise<string> {
    const entries = Object.entries(amountsSats) as [N, { address: string; sats: number | bigint }][];
    const txid = await this.bitcoind.send(Object.fromEntries(entries.map(([, a]) => [a.address, a.sats])));
    await this.bitcoind.mine(1);
    const sats = Object.fromEntries(entries.map(([name, a]) => [name, a.sats])) as Record<N, number | bigint>;
    await this.waitForSpendable(sats, txid, { timeoutMs, signal });
    return txid;
  }

  /** Waits until each node counts (at least) its amount of `txid`'s funds as spendable. */
  private async waitForSpendable(
    sats: Partial<Record<N, number | bigint>>,
    txid: string,
    { timeoutMs = defaultTimeout("wait"), signal }: WaitCallOptions = {},
  ): Promise<void> {
    const entries = Object.entries(sats) as [N, number | bigint][];
    await this.waitFor(
      `funding transaction ${txid} spendable on ${entries.map(([n]) => n).join(", ")}`,
      () =>
        Promise.all(
          entries.map(
            async ([name]) => (await this.nodes[name].client.getBalances()).spendableOnchainBalanceSats,
          ),
        ),
      {
        until: (balances) => balances.every((b, i) => b >= BigInt(entries[i]?.[1] ?? 0)),
        timeoutMs,
        signal,
      },
    );
  }

  /**
   * After `opener.openChannel(...)`: waits for the funding broadcast (the opener's PENDING event), then
   * until both sides report `is_usable` (see `waitForUsableChannels`).
   */
  async waitForUsableChannel(
    opener: LdkServer,
    acceptor: LdkServer,
    userChannelId: string,
    options: WaitCallOptions = {},
  ): Promise<{ opener: Channel; acceptor: Channel }> {
    const pending = await this.waitForFundingBroadcast(opener, userChannelId, options.signal);
    const [both] = await this.waitForUsableChannels([{ opener, acceptor, pending }], options);
    return both as { opener: Channel; acceptor: Channel };
  }

  /**
   * Polls ListChannels on both sides of every channel until all report `is_usable`, mining only when
   * needed: one batch of confirmations once any funding transaction is in the mempool (all channels
   * broadcast by then are confirmed by the same blocks), then single blocks only while every node has
   * seen the tip and some channel is still short of depth.
   */
  async waitForUsableChannels(
    channels: readonly { opener: LdkServer; acceptor: LdkServer; pending: ChannelStateChanged }[],
    {
      timeoutMs = defaultTimeout(channels.length > 1 ? "channels" : "channel"),
      signal,
    }: WaitCallOptions = {},
  ): Promise<{ opener: Channel; acceptor: Channel }[]> {
    const missingSince = new Map<unknown, number>();
    const txidOf = (pending: ChannelStateChanged) => pending.fundingTxo?.split(":")[0] ?? "";
    const listed = new Map<LdkServer, Promise<Channel[]>>();
    const channelsOf = (node: LdkServer) => {
      if (!listed.has(node))
        listed.set(
          node,
          node.client.listChannels().then((r) => r.channels),
        );
      return listed.get(node) as Promise<Channel[]>;
    };
    const usable = (s: { opener?: Channel; acceptor?: Channel }[]) =>
      s.every((c) => c.opener?.isUsable && c.acceptor?.isUsable);
    const what =
      channels.length === 1
        ? `channel ${channels[0]?.pending.channelId} usable on both ${channels[0]?.opener.name} and ${channels[0]?.acceptor.name}`
        : `${channels.length} channels usable on both sides`;
    const states = await this.waitFor(
      what,
      async () => {
        listed.clear();
        const seen = await Promise.all(
          channels.map(async ({ opener, acceptor, pending }) => {
            const find = async (node: LdkServer) =>
              (await channelsOf(node)).find((c) => c.channelId === pending.channelId);
            const [a, b] = await Promise.all([find(opener), find(acceptor)]);
            return { opener: a, acceptor: b };
          }),
        );
        if (usable(seen)) return seen;
        const mempool = await this.bitcoind.rpc.getRawMempool();
        if (channels.some((c) => mempool.includes(txidOf(c.pending)))) {
          await this.bitcoind.mine(CHANNEL_CONFIRMATIONS);
          return seen;
        }
        // ldk-node hands the funding transaction to a background broadcaster: give it time before calling
        // it lost (bitcoind refused it, e.g. as a double spend). Blocks mined meanwhile by other waits
        // say nothing about it.
        const now = Date.now();
        const lost = channels.find((c, i) => {
          const unconfirmed =
            Math.min(seen[i]?.opener?.confirmations ?? 0, seen[i]?.acceptor?.confirmations ?? 0) === 0;
          if (!unconfirmed) missingSince.delete(c);
          else if (!missingSince.has(c)) missingSince.set(c, now);
          return unconfirmed && now - (missingSince.get(c) ?? now) > FUNDING_BROADCAST_GRACE_MS;
        });
        if (lost) {
          throw new FatalWaitError(
            `funding transaction ${txidOf(lost.pending)} is neither in bitcoind's mempool nor confirmed: ${lost.opener.name} could not broadcast it (look for "Failed to broadcast" in its log)`,
          );
        }
        const short = seen.some(
          (c) =>
            c.opener &&
            c.acceptor &&
            Math.min(c.opener.confirmations ?? 0, c.acceptor.confirmations ?? 0) < CHANNEL_CONFIRMATIONS,
        );
        if (short) await this.mineIfSynced();
        return seen;
      },
      { until: usable, timeoutMs, signal, maxIntervalMs: 500 },
    );
    return states as { opener: Channel; acceptor: Channel }[];
  }

  /**
   * Opens a channel `opener` → `acceptor` and waits until both sides can use it. Opens from the same
   * node are serialized until its wallet has seen the previous funding transaction: before that,
   * ldk-node funds the next open from the same coins and bitcoind rejects it as a double spend.
   */
  async openChannel(
    opener: LdkServer,
    acceptor: LdkServer,
    options: ChannelOptions & WaitCallOptions,
  ): Promise<{ opener: Channel; acceptor: Channel }> {
    const pending = await this.openAndBroadcast(opener, acceptor, options);
    const [both] = await this.waitForUsableChannels([{ opener, acceptor, pending }], options);
    return both as { opener: Channel; acceptor: Channel };
  }

  /**
   * Opens several channels at once and waits until all are usable on both sides: opens from different
   * nodes run in parallel (from one node, serialized as in `openChannel`), and one batch of blocks
   * confirms them all.
   */
  async openChannels(
    specs: readonly ({ from: N; to: N } & ChannelOptions)[],
    options: WaitCallOptions = {},
  ): Promise<{ opener: Channel; acceptor: Channel }[]> {
    const opened = await Promise.all(
      specs.map(async ({ from, to, ...options }) => {
        const [opener, acceptor] = [this.nodes[from], this.nodes[to]];
        return { opener, acceptor, pending: await this.openAndBroadcast(opener, acceptor, options) };
      }),
    );
    return this.waitForUsableChannels(opened, options);
  }

  /** OpenChannel, then the opener's PENDING event (its funding is broadcast), in the opener's queue. */
  private async openAndBroadcast(
    opener: LdkServer,
    acceptor: LdkServer,
    { sats, announce = false, pushMsat }: ChannelOptions,
  ): Promise<ChannelStateChanged> {
    const previous = this.opening.get(opener) ?? Promise.resolve();
    let release: () => void = () => {};
    this.opening.set(
      opener,
      previous.then(() => new Promise<void>((resolve) => (release = resolve))),
    );
    await previous;
    try {
      const before = (await opener.client.getBalances()).totalOnchainBalanceSats;
      const { userChannelId } = await opener.client.openChannel({
        nodePubkey: acceptor.nodeId,
        address: acceptor.p2pAddress,
        amount: { case: "channelAmountSats", value: BigInt(sats) },
        announceChannel: announce,
        ...(pushMsat === undefined ? {} : { pushToCounterpartyMsat: pushMsat }),
      });
      const pending = await this.waitForFundingBroadcast(opener, userChannelId);
      // The wallet learns of its own funding transaction only at its next chain poll; until then the
      // next open from this node would spend the same coins. Only that next open waits for it.
      void this.waitFor(
        `${opener.name}'s wallet sees the funding of channel ${userChannelId}`,
        async () => (await opener.client.getBalances()).totalOnchainBalanceSats,
        { until: (total) => total < before, timeoutMs: 30_000, keepLogsOnFailure: false },
      ).then(release, release);
      return pending;
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Restarts one node (same storage, same ports when free) and reconnects every node that has a channel
   * with it at once, telling them its address (it may have changed): ldk-node alone would retry only
   * every 60 s. Resolves when every such channel is usable again on both sides.
   */
  async restart(
    name: N,
    { timeoutMs = defaultTimeout("restart"), signal }: WaitCallOptions = {},
  ): Promise<void> {
    const node = this.nodes[name];
    const others = Object.values<LdkServer>(this.nodes).filter((n) => n !== node);
    const channelsWith = async (other: LdkServer) =>
      (await other.client.listChannels()).channels.filter((c) => c.counterpartyNodeId === node.nodeId);
    const peers = (await Promise.all(others.map(async (o) => [o, await channelsWith(o)] as const))).filter(
      ([, channels]) => channels.length > 0,
    );
    await node.restart();
    await Promise.all(
      peers.map(([other]) =>
        other.client.connectPeer({ nodePubkey: node.nodeId, address: node.p2pAddress, persist: true }),
      ),
    );
    await this.waitFor(
      `channels with ${name} usable again after its restart`,
      async () => (await Promise.all(peers.map(([other]) => channelsWith(other)))).flat(),
      {
        until: (channels) =>
          channels.length === peers.reduce((sum, [, c]) => sum + c.length, 0) &&
          channels.every((c) => c.isUsable),
        timeoutMs,
        signal,
      },
    );
  }

  /** The opener's PENDING event for the channel: its funding transaction has been broadcast. */
  private waitForFundingBroadcast(opener: LdkServer, userChannelId: string, signal?: AbortSignal) {
    return opener.events.waitForChannelState({ userChannelId }, ChannelState.PENDING, {
      watch: this.daemons,
      signal,
    });
  }

  private async mineIfSynced(): Promise<void> {
    const tip = await this.bitcoind.rpc.getBlockCount();
    const infos = await Promise.all(Object.values<LdkServer>(this.nodes).map((n) => n.client.getNodeInfo()));
    if (infos.every((i) => i.currentBestBlock?.height === tip)) await this.bitcoind.mine(1);
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
      await Promise.allSettled(Object.values<LdkServer>(this.nodes).map((n) => n.stop()));
      await this.bitcoind.stop();
      await this.runDir.dispose({ discard });
    })();
    return this.stopping;
  }
}

/** A topology of just these nodes, unfunded and without channels (what `nodes: [...]` means). */
function nodesOnly(names: readonly string[]): Topology {
  return { nodes: Object.fromEntries(names.map((n) => [n, { onchain_sats: 0 }])), channels: [] };
}

/** The on-chain amount each node of a topology starts with, for the nodes that get any. */
function positiveFunding(topology: Topology): Record<string, number> {
  return Object.fromEntries(Object.entries(fundingOf(topology)).filter(([, sats]) => sats > 0));
}
