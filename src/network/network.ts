import { BITCOIND_EXECUTABLE, Bitcoind } from "../bitcoind/bitcoind.js";
import { type Channel, ChannelState } from "../client/index.js";
import { findLdkServer, LdkServer } from "../ldk-server/ldk-server.js";
import { findExecutable } from "../processes/find-executable.js";
import { RunDir } from "../processes/run-dir.js";
import type { Observable } from "../waits/diagnostics.js";
import { FatalWaitError, type WaitOptions, waitFor } from "../waits/wait-for.js";

export interface NetworkOptions<N extends string> {
  /** Node names, e.g. ["alice", "bob"]: lowercase letters, digits and dashes, unique. */
  nodes: readonly N[];
  /** Keep the run directory after stop (default: LDK_REGTEST_KEEP=1). */
  keep?: boolean;
  /** Called once bitcoind is ready and before the nodes start (for per-phase timings). */
  onBitcoindReady?: () => void;
  /** Aborting stops the start in every phase: whatever was started is stopped before `start` rejects. */
  signal?: AbortSignal;
}

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
    validateNames(options.nodes);
    options.signal?.throwIfAborted();
    // Resolve both binaries first so a missing one is reported before anything starts.
    const [bitcoindExe, ldkServerExe] = await Promise.all([
      findExecutable(BITCOIND_EXECUTABLE),
      findLdkServer(),
    ]);
    const runDir = await RunDir.create(options.keep === undefined ? {} : { keep: options.keep });
    const giveUp = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, giveUp.signal]) : giveUp.signal;
    let bitcoind: Bitcoind | undefined;
    const started: LdkServer[] = [];
    try {
      bitcoind = await Bitcoind.start({
        dataDir: await runDir.subdir("bitcoind"),
        executable: bitcoindExe.path,
        signal,
      });
      options.onBitcoindReady?.();
      const chain = bitcoind;
      const results = await Promise.allSettled(
        options.nodes.map(async (name) => {
          try {
            const node = await LdkServer.start({
              name,
              storageDir: await runDir.subdir(name),
              bitcoind: chain,
              executable: ldkServerExe.path,
              watch: [chain],
              signal,
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
      return new Network(runDir, bitcoind, Object.fromEntries(nodes) as Record<N, LdkServer>);
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

  /** bitcoind and every node: what failure reports show. */
  get daemons(): Observable[] {
    return [this.bitcoind, ...Object.values<LdkServer>(this.nodes)];
  }

  /** waitFor with every daemon of this network watched (a crash ends the wait; logs on failure). */
  waitFor<T>(condition: string, probe: () => Promise<T> | T, options: WaitOptions<T> = {}): Promise<T> {
    return waitFor(condition, probe, { watch: this.daemons, ...options });
  }

  /** Mines `blocks` and waits until every node's best block is the new tip. */
  async mine(blocks = 1): Promise<void> {
    await this.bitcoind.mine(blocks);
    await this.sync();
  }

  /** Waits until every node has synced to bitcoind's tip (nodes poll bitcoind every 2 s). */
  async sync(timeoutMs = 60_000): Promise<void> {
    const tip = await this.bitcoind.rpc.getBlockCount();
    await this.waitFor(
      `all nodes synced to block ${tip}`,
      () =>
        Promise.all(
          Object.values<LdkServer>(this.nodes).map(
            async (n) => (await n.client.getNodeInfo()).currentBestBlock?.height,
          ),
        ),
      { until: (heights) => heights.every((h) => h === tip), timeoutMs },
    );
  }

  /**
   * Sends on-chain funds to the given addresses in one transaction, mines it, and waits until each
   * receiving node counts the amount as spendable (funds are spendable after one confirmation).
   */
  async fund(amountsSats: Partial<Record<N, { address: string; sats: number | bigint }>>): Promise<string> {
    const entries = Object.entries(amountsSats) as [N, { address: string; sats: number | bigint }][];
    const txid = await this.bitcoind.send(Object.fromEntries(entries.map(([, a]) => [a.address, a.sats])));
    await this.bitcoind.mine(1);
    await this.waitFor(
      `funding transaction ${txid} spendable on ${entries.map(([n]) => n).join(", ")}`,
      () =>
        Promise.all(
          entries.map(
            async ([name]) => (await this.nodes[name].client.getBalances()).spendableOnchainBalanceSats,
          ),
        ),
      {
        until: (balances) => balances.every((b, i) => b >= BigInt(entries[i]?.[1].sats ?? 0)),
        timeoutMs: 60_000,
      },
    );
    return txid;
  }

  /**
   * After `opener.openChannel(...)`: waits for the funding broadcast (the opener's PENDING event), then
   * polls ListChannels on both sides until both report `is_usable`, mining only when needed: the
   * confirmations once the funding transaction is in the mempool, then single blocks only while both
   * nodes have seen the tip and the channel is still short of depth. Channels opened together are
   * confirmed by the same blocks.
   */
  async waitForUsableChannel(
    opener: LdkServer,
    acceptor: LdkServer,
    userChannelId: string,
    timeoutMs = 90_000,
  ): Promise<{ opener: Channel; acceptor: Channel }> {
    const pending = await this.waitForFundingBroadcast(opener, userChannelId);
    const fundingTxid = pending.fundingTxo?.split(":")[0] ?? "";
    const find = async (node: LdkServer) =>
      (await node.client.listChannels()).channels.find((c) => c.channelId === pending.channelId);
    const startHeight = await this.bitcoind.rpc.getBlockCount();
    const both = await this.waitFor(
      `channel ${pending.channelId} usable on both ${opener.name} and ${acceptor.name}`,
      async () => {
        const [a, b] = await Promise.all([find(opener), find(acceptor)]);
        if (!(a?.isUsable && b?.isUsable)) {
          const confirmations = Math.min(a?.confirmations ?? 0, b?.confirmations ?? 0);
          if ((await this.bitcoind.rpc.getRawMempool()).includes(fundingTxid)) {
            await this.bitcoind.mine(CHANNEL_CONFIRMATIONS);
          } else if (
            confirmations === 0 &&
            (await this.bitcoind.rpc.getBlockCount()) - startHeight > CHANNEL_CONFIRMATIONS + 2
          ) {
            throw new FatalWaitError(
              `funding transaction ${fundingTxid} is neither in bitcoind's mempool nor confirmed: ${opener.name} could not broadcast it (look for "Failed to broadcast" in its log)`,
            );
          } else if (a && b && confirmations < CHANNEL_CONFIRMATIONS) {
            await this.mineIfSynced();
          }
        }
        return { opener: a, acceptor: b };
      },
      { until: (s) => Boolean(s.opener?.isUsable && s.acceptor?.isUsable), timeoutMs, maxIntervalMs: 500 },
    );
    return both as { opener: Channel; acceptor: Channel };
  }

  /**
   * Opens a channel `opener` → `acceptor` and waits until both sides can use it. Opens from the same
   * node are serialized until its wallet has seen the previous funding transaction: before that,
   * ldk-node funds the next open from the same coins and bitcoind rejects it as a double spend.
   */
  async openChannel(
    opener: LdkServer,
    acceptor: LdkServer,
    { sats, announce = false, pushMsat }: { sats: number | bigint; announce?: boolean; pushMsat?: bigint },
  ): Promise<{ opener: Channel; acceptor: Channel }> {
    const previous = this.opening.get(opener) ?? Promise.resolve();
    const opened = previous.then(async () => {
      const before = (await opener.client.getBalances()).totalOnchainBalanceSats;
      const { userChannelId } = await opener.client.openChannel({
        nodePubkey: acceptor.nodeId,
        address: acceptor.p2pAddress,
        amount: { case: "channelAmountSats", value: BigInt(sats) },
        announceChannel: announce,
        ...(pushMsat === undefined ? {} : { pushToCounterpartyMsat: pushMsat }),
      });
      await this.waitForFundingBroadcast(opener, userChannelId);
      // The wallet learns of its own funding transaction only at its next chain poll; until then a
      // second open would spend the same coins.
      await this.waitFor(
        `${opener.name}'s wallet sees the funding of channel ${userChannelId}`,
        async () => (await opener.client.getBalances()).totalOnchainBalanceSats,
        { until: (total) => total < before, timeoutMs: 30_000 },
      );
      return userChannelId;
    });
    this.opening.set(
      opener,
      opened.then(
        () => {},
        () => {},
      ),
    );
    return this.waitForUsableChannel(opener, acceptor, await opened);
  }

  /**
   * Restarts one node (same storage, same ports when free) and reconnects every node that has a channel
   * with it at once, telling them its address (it may have changed): ldk-node alone would retry only
   * every 60 s. Resolves when every such channel is usable again on both sides.
   */
  async restart(name: N, timeoutMs = 30_000): Promise<void> {
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
      },
    );
  }

  /** The opener's PENDING event for the channel: its funding transaction has been broadcast. */
  private waitForFundingBroadcast(opener: LdkServer, userChannelId: string) {
    return opener.events.waitForChannelState({ userChannelId }, ChannelState.PENDING, {
      watch: this.daemons,
    });
  }

  private async mineIfSynced(): Promise<void> {
    const tip = await this.bitcoind.rpc.getBlockCount();
    const infos = await Promise.all(Object.values<LdkServer>(this.nodes).map((n) => n.client.getNodeInfo()));
    if (infos.every((i) => i.currentBestBlock?.height === tip)) await this.bitcoind.mine(1);
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

function validateNames(names: readonly string[]): void {
  if (names.length === 0)
    throw new Error("a network needs at least one node name, e.g. nodes: ['alice', 'bob']");
  for (const name of names) {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(name)) {
      throw new Error(
        `bad node name "${name}": use 1–32 lowercase letters, digits or dashes (it becomes a directory and the alias)`,
      );
    }
  }
  if (names.includes("bitcoind"))
    throw new Error('node name "bitcoind" is taken: bitcoind\'s data dir has that name; pick another');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`node name "${duplicate}" appears twice; every node needs its own name`);
}
