import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { ChannelState, LdkServerClient, type Payment, PaymentStatus } from "../client/index.js";
import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import type {
  ChannelInfo,
  ChannelOptions,
  ChannelRef,
  ClosureClaims,
  InvoiceRequest,
  NetworkNode,
  NodeBalances,
  NodeWaitOptions,
  OpenedChannel,
  PaymentOutcome,
  PeerAddress,
} from "../node/network-node.js";
import { DaemonProcess, type ExitInfo } from "../processes/daemon-process.js";
import { readSince, sizeOf } from "../processes/log-tail.js";
import { isBindFailure, PortInUseError, preferPorts, withFreePorts } from "../processes/port-retry.js";
import type { Observable } from "../waits/diagnostics.js";
import { waitFor } from "../waits/wait-for.js";
import { ldkClosureClaims } from "./closure-claims.js";
import { type ChainSource, daemonEnv, ldkServerLogPath, renderLdkServerConfig } from "./config.js";
import { closeCooperatively } from "./cooperative-close.js";
import { EVENT_HISTORY_LIMIT, EventBuffer } from "./event-buffer.js";
import { findLdkServer } from "./executable.js";
import { listAllPayments, waitForListedPayment } from "./listed-payments.js";
import { toChannelInfo, toNodeBalances } from "./node-shapes.js";
import { type TestKnobs, testKnobs } from "./test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "./upstream.js";

export { findLdkServer, LDK_SERVER_EXECUTABLE } from "./executable.js";

/** How to start one ldk-server daemon ({@link LdkServer.start}). */
export interface LdkServerOptions {
  /** Short name, e.g. "alice": the name in errors, and the alias unless `alias` is given. */
  name: string;
  alias?: string;
  /** More ldk-server settings merged into the generated config.toml (not ports, storage, chain or log file). */
  config?: Record<string, unknown>;
  /** The `[liquidity]` table (LSPS2 roles), asked for at every start (a client's LSP may have moved). */
  liquidity?: () => Record<string, unknown>;
  /** Storage dir (0700, created by the caller). Config, console and log files live beside the data. */
  storageDir: string;
  /** The chain source: the daemon syncs from this bitcoind's RPC. */
  bitcoind: ChainSource;
  /** Path to ldk-server; otherwise LDK_SERVER_EXE or PATH. */
  executable?: string;
  /** First start only: the wallet scans from this height (`--rescan-from-height`), finding earlier funds. */
  rescanFromHeight?: number;
  /** Give up unless GetNodeInfo answers and events flow within this (DEFAULT_TIMEOUTS.nodeReady). */
  readyTimeoutMs?: number;
  /** Other daemons whose death should end our waits too (e.g. bitcoind). */
  watch?: readonly Observable[];
  /** Picks [gRPC, P2P] ports (default: random free ports); retried with new picks if one is taken. */
  pickPorts?: (count: number) => Promise<number[]>;
  /** Aborting ends the start in whatever phase it is; the daemon is stopped before `start` rejects. */
  signal?: AbortSignal;
  /**
   * Awaited by `restart()` once the node is up again: a network passes what brings its channels back
   * (dialling its peers at once, since ldk-node redials only every 60 s) so that a restart called on the
   * node does the same as one called on the network.
   */
  onRestarted?: (node: LdkServer, options: WaitCallOptions) => Promise<void>;
  /** The test build's timer knobs (default: `testKnobs()`, the durations table or LDK_REGTEST_KNOB_*). */
  testKnobs?: TestKnobs;
}

/** One ldk-server daemon: own storage dir and log, random ports, a connected client and event history. */
export class LdkServer implements NetworkNode {
  /** Its events since it started; their waits end at once if it (or a daemon it watches) dies. */
  readonly events = new EventBuffer(EVENT_HISTORY_LIMIT, () => this.watched);
  readonly logPath: string;
  readonly configPath: string;
  private daemon: DaemonProcess | undefined;
  private rpcClient: LdkServerClient | undefined;
  private id = "";
  private ports = { grpc: 0, p2p: 0 };
  private launched = false;
  /** How long the last start (or restart) took until ready: spawn to GetNodeInfo and live events. */
  startupMs = 0;

  private constructor(
    private readonly options: LdkServerOptions,
    private readonly executable: string,
    private readonly knobs: TestKnobs,
  ) {
    this.logPath = ldkServerLogPath(options.storageDir);
    this.configPath = path.join(options.storageDir, "config.toml");
  }

  /** Starts the daemon and resolves once GetNodeInfo answers and the event subscription is live. */
  static async start(options: LdkServerOptions): Promise<LdkServer> {
    const knobs = options.testKnobs ?? testKnobs(); // a bad LDK_REGTEST_KNOB_* fails before anything starts
    const executable = options.executable ?? (await findLdkServer()).path;
    const server = new LdkServer(options, executable, knobs);
    await server.launch(options.pickPorts, options.signal);
    return server;
  }

  get name(): string {
    return `${this.options.name} (ldk-server)`;
  }

  /** The node's storage dir: its config, wallet, keys and logs. */
  get storageDir(): string {
    return this.options.storageDir;
  }

  get consolePath(): string {
    return path.join(this.options.storageDir, "console.log");
  }

  get exitInfo(): ExitInfo | undefined {
    return this.daemon?.exitInfo;
  }

  /** The daemon's process id; `undefined` before it started. */
  get pid(): number | undefined {
    return this.daemon?.pid;
  }

  /** The node's public key (hex). */
  get nodeId(): string {
    return this.id;
  }

  /** `127.0.0.1:<port>` where it accepts Lightning peers. */
  get p2pAddress(): string {
    return `127.0.0.1:${this.ports.p2p}`;
  }

  /** [gRPC, P2P] ports it listens on (what a resumed network tries first). */
  get portNumbers(): [number, number] {
    return [this.ports.grpc, this.ports.p2p];
  }

  /** `127.0.0.1:<port>` of its gRPC API. */
  get grpcAddress(): string {
    return `127.0.0.1:${this.ports.grpc}`;
  }

  /** The gRPC client for this node (TLS pinned to its own certificate). */
  get client(): LdkServerClient {
    if (!this.rpcClient) {
      throw new LdkRegtestError("NOT_RUNNING", `${this.name} is not running`, {
        data: { node: this.options.name },
      });
    }
    return this.rpcClient;
  }

  /** This node and the daemons it depends on, for wait diagnostics. */
  get watched(): readonly Observable[] {
    return [this, ...(this.options.watch ?? [])];
  }

  /** Polls ListPayments (all pages) until `paymentId` is listed as SUCCEEDED or FAILED; returns it. */
  waitForListedPayment(paymentId: string, options?: WaitCallOptions): Promise<Payment> {
    return waitForListedPayment(this, paymentId, options);
  }

  /** Every payment in the node's history (all pages). */
  listAllPayments(): Promise<Payment[]> {
    return listAllPayments(this.client);
  }

  /** `await using node = await LdkServer.start(…)`: stopped when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Graceful stop (the daemon persists its state); the storage dir stays for `restart()`. */
  async stop(graceMs = defaultTimeout("stopGrace")): Promise<void> {
    await this.disconnect();
    await this.daemon?.stop(graceMs);
  }

  /**
   * Stops and starts again on the same storage dir (same node id, channels and history) and on the same
   * ports when they are still free (new ones otherwise). In a network, its channels are usable again
   * when this resolves (see `onRestarted`). `timeoutMs` bounds the start and what `onRestarted` waits for.
   */
  async restart({ timeoutMs, signal }: WaitCallOptions = {}): Promise<void> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const left = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
    await this.stop();
    await this.launch(preferPorts([this.ports.grpc, this.ports.p2p], this.options.pickPorts), signal, left());
    await this.options.onRestarted?.(this, { timeoutMs: left(), signal });
  }

  /** SIGKILL, to simulate a crash. */
  async kill(): Promise<void> {
    await this.disconnect();
    await this.daemon?.kill();
  }

  // The NetworkNode surface: what a network needs of any node kind.
  readonly kind = "ldk-server";

  get nodeName(): string {
    return this.options.name;
  }

  async bestBlockHeight(): Promise<number | undefined> {
    return (await this.client.getNodeInfo()).currentBestBlock?.height;
  }

  async newAddress(): Promise<string> {
    return (await this.client.onchainReceive()).address;
  }

  async balances(): Promise<NodeBalances> {
    return toNodeBalances(await this.client.getBalances());
  }

  async connectPeer(peer: PeerAddress): Promise<void> {
    await this.client.connectPeer({ nodePubkey: peer.nodeId, address: peer.address, persist: true });
  }

  /** OpenChannel, then its funding broadcast (see `waitForFundingBroadcast`). */
  async openChannel(
    peer: PeerAddress,
    { sats, announce = false, pushMsat }: ChannelOptions,
    options: NodeWaitOptions = {},
  ): Promise<OpenedChannel> {
    const { userChannelId } = await this.client.openChannel({
      nodePubkey: peer.nodeId,
      address: peer.address,
      amount: { case: "channelAmountSats", value: BigInt(sats) },
      announceChannel: announce,
      ...(pushMsat === undefined ? {} : { pushToCounterpartyMsat: pushMsat }),
    });
    return this.waitForFundingBroadcast(userChannelId, options);
  }

  /**
   * This node's PENDING event for the channel it opened: its funding transaction is broadcast. The wait
   * watches this node; `watch` adds others whose death means the event will not come (the acceptor).
   */
  async waitForFundingBroadcast(
    userChannelId: string,
    options: NodeWaitOptions = {},
  ): Promise<OpenedChannel> {
    const pending = await this.events.waitForChannelState({ userChannelId }, ChannelState.PENDING, options);
    return {
      channelId: pending.channelId,
      userChannelId,
      fundingTxid: pending.fundingTxo?.split(":")[0] ?? "",
    };
  }

  async listChannels(): Promise<ChannelInfo[]> {
    return (await this.client.listChannels()).channels.map(toChannelInfo);
  }

  /** Cooperative: its closing-fee allowance is raised first, so that an lnd peer's fee is accepted. */
  closeChannel(channel: ChannelRef): Promise<void> {
    return closeCooperatively(this.client, channel);
  }

  async forceCloseChannel({ userChannelId, counterpartyNodeId }: ChannelInfo): Promise<void> {
    await this.client.forceCloseChannel({ userChannelId, counterpartyNodeId });
  }

  closureClaims(channelId: string, tip: number): Promise<ClosureClaims> {
    return ldkClosureClaims(this, channelId, tip);
  }

  async graphChannelCount(): Promise<number> {
    return (await this.client.graphListChannels()).shortChannelIds.length;
  }

  async createInvoice({ amountMsat, description, expirySecs = 3600 }: InvoiceRequest) {
    const receipt = await this.client.bolt11Receive({
      ...(amountMsat === undefined ? {} : { amountMsat }),
      expirySecs,
      description: { kind: { case: "direct", value: description } },
    });
    return { invoice: receipt.invoice, paymentHash: receipt.paymentHash };
  }

  async payInvoice(invoice: string): Promise<{ paymentId: string }> {
    return { paymentId: (await this.client.bolt11Send({ invoice })).paymentId };
  }

  async waitForPaymentOutcome(paymentId: string, options: WaitCallOptions = {}): Promise<PaymentOutcome> {
    const payment = await this.waitForListedPayment(paymentId, options);
    return payment.status === PaymentStatus.SUCCEEDED ? "SUCCEEDED" : "FAILED";
  }

  /** Flags that only mean something when the node's wallet is created (ldk-node ignores them later). */
  private firstStartArgs(): string[] {
    const height = this.options.rescanFromHeight;
    return height === undefined || this.launched ? [] : ["--rescan-from-height", String(height)];
  }

  /** Ends the event subscription and closes the gRPC connection. */
  private async disconnect(): Promise<void> {
    this.events.detach();
    await this.rpcClient?.close();
    this.rpcClient = undefined;
  }

  /** Spawns the daemon; ready within `timeoutMs` if given and shorter than `readyTimeoutMs`. */
  private async launch(
    pickPorts: LdkServerOptions["pickPorts"],
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ): Promise<void> {
    const { storageDir } = this.options;
    const started = performance.now();
    await withFreePorts(
      2,
      async ([grpc = 0, p2p = 0]) => {
        signal?.throwIfAborted();
        this.ports = { grpc, p2p };
        const config = renderLdkServerConfig({
          storageDir,
          grpcPort: grpc,
          p2pPort: p2p,
          alias: this.options.alias ?? this.options.name,
          extra: this.options.config,
          liquidity: this.options.liquidity?.(),
          bitcoind: this.options.bitcoind,
          logFile: this.logPath,
        });
        await writeFile(this.configPath, config, { mode: 0o600 }); // holds the bitcoind RPC password
        const consoleStart = await sizeOf(this.consolePath); // the console log is appended across starts
        const daemon = DaemonProcess.spawn({
          name: this.name,
          command: this.executable,
          args: [this.configPath, ...this.firstStartArgs()],
          env: daemonEnv(process.env, this.knobs),
          consolePath: this.consolePath,
        });
        this.daemon = daemon;
        try {
          const ready = this.options.readyTimeoutMs ?? defaultTimeout("nodeReady");
          const readyBy = Date.now() + Math.min(ready, timeoutMs ?? ready);
          await this.waitUntilReady(readyBy - Date.now(), signal);
          const readyTimeoutMs = Math.max(1, Math.min(readyBy - Date.now(), defaultTimeout("eventsReady")));
          await this.events.attach(this.client, { readyTimeoutMs }).catch((error: Error) => {
            throw new LdkRegtestError(
              "START_FAILED",
              `${this.name} answers GetNodeInfo but refused the event subscription (${error.message}); is it ldk-server built from rev ${LDK_SERVER_UPSTREAM.rev.slice(0, 7)}?`,
              { cause: error, data: { node: this.options.name, logPath: this.logPath } },
            );
          });
          signal?.throwIfAborted();
        } catch (error) {
          // Nothing may outlive a failed start: not the daemon, not the connection to it.
          await this.disconnect();
          await daemon.stop(defaultTimeout("failedStartGrace"));
          if (isBindFailure(await readSince(this.consolePath, consoleStart))) {
            throw new PortInUseError(`${this.name} could not bind port ${grpc} or ${p2p}`, {
              data: { node: this.options.name, ports: [grpc, p2p] },
            });
          }
          throw error;
        }
      },
      { pickPorts },
    );
    this.startupMs = Math.round(performance.now() - started);
    this.launched = true;
  }

  private async waitUntilReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const { storageDir } = this.options;
    const info = await waitFor(
      `${this.name} to answer GetNodeInfo`,
      async (probeSignal) => {
        // tls.crt is written only after the gRPC port is bound; before that there is nothing to dial.
        if (!this.rpcClient) {
          await access(path.join(storageDir, "tls.crt"));
          this.rpcClient = await LdkServerClient.fromStorageDir(storageDir, { address: this.grpcAddress });
        }
        return this.rpcClient.getNodeInfo(
          {},
          { timeoutMs: defaultTimeout("readyProbe"), signal: probeSignal },
        );
      },
      // A failed start is retried or reported by the caller, which decides what to keep.
      {
        timeoutMs,
        watch: this.watched,
        maxIntervalMs: defaultTimeout("pollStarting"),
        keepLogsOnFailure: false,
        signal,
      },
    );
    this.id = info.nodeId;
  }
}
