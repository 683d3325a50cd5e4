import { access, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { defaultTimeout, type WaitCallOptions } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import type { ChainSource } from "../ldk-server/config.js";
import { channelIdOf } from "../node/channel-id.js";
import type {
  ChannelInfo,
  ChannelOptions,
  ChannelRef,
  ClosureClaims,
  InvoiceRequest,
  NetworkNode,
  NodeBalances,
  OpenedChannel,
  PaymentOutcome,
  PeerAddress,
} from "../node/network-node.js";
import { DaemonProcess, type ExitInfo } from "../processes/daemon-process.js";
import { readSince, sizeOf } from "../processes/log-tail.js";
import { PortInUseError, preferPorts, withFreePorts } from "../processes/port-retry.js";
import type { Observable } from "../waits/diagnostics.js";
import { waitFor } from "../waits/wait-for.js";
import { findLnd } from "./executable.js";
import { LndClient } from "./lnd-client.js";
import { lndClosureClaims } from "./lnd-closure-claims.js";
import { lndExtraArgs, renderLndConfig } from "./lnd-config.js";
import { LndRest } from "./lnd-rest.js";
import { openChannelInfo, pendingChannelInfo } from "./lnd-shapes.js";

/**
 * How to start one lnd daemon ({@link LndNode.start}): its name, storage dir, bitcoind and extra lnd options.
 */
export interface LndNodeOptions {
  /** Short name, e.g. "dave": the name in errors, and the alias unless `alias` is given. */
  name: string;
  alias?: string;
  /** More lnd options, as lnd's flag names (`{ "bitcoin.timelockdelta": 40 }`); not the ones we own. */
  config?: Record<string, unknown>;
  /** lnd's dir (0700, created by the caller): lnd.conf, tls.cert, data, logs. */
  storageDir: string;
  /** lnd polls this bitcoind's RPC. */
  bitcoind: ChainSource;
  /** Path to lnd; otherwise LND_EXE, the cache or PATH. */
  executable?: string;
  /** Other daemons whose death should end our waits too (e.g. bitcoind). */
  watch?: readonly Observable[];
  /** Picks [P2P, gRPC, REST] ports (default random free ones); retried with new picks if one is taken. */
  pickPorts?: (count: number) => Promise<number[]>;
  signal?: AbortSignal;
  /** Awaited by `restart()` once the node is up again (a network brings its channels back). */
  onRestarted?: (node: LndNode, options: WaitCallOptions) => Promise<void>;
}

/** Where lnd's regtest files live under its dir (lnd lays them out by chain and network). */
const REGTEST = path.join("data", "chain", "bitcoin", "regtest");

/** Where lnd logs, under its dir (lnd lays its logs out by chain and network). */
export function lndLogPath(storageDir: string): string {
  return path.join(storageDir, "logs", "bitcoin", "regtest", "lnd.log");
}

/** One lnd daemon: own dir, random ports, its TLS certificate pinned, the admin macaroon read from disk. */
export class LndNode implements NetworkNode {
  readonly kind = "lnd";
  readonly logPath: string;
  readonly configPath: string;
  /** lnd's TLS certificate (what lncli's `--tlscertpath` takes). */
  readonly certPath: string;
  /** The admin macaroon (what lncli's `--macaroonpath` takes); its content never leaves this process. */
  readonly macaroonPath: string;
  #client: LndClient | undefined;
  private daemon: DaemonProcess | undefined;
  private id = "";
  private ports = { p2p: 0, grpc: 0, rest: 0 };
  /** How long the last start (or restart) took: spawn to SERVER_ACTIVE and getinfo. */
  startupMs = 0;

  private constructor(
    private readonly options: LndNodeOptions,
    private readonly executable: string,
  ) {
    const dir = options.storageDir;
    this.logPath = lndLogPath(dir);
    this.configPath = path.join(dir, "lnd.conf");
    this.certPath = path.join(dir, "tls.cert");
    this.macaroonPath = path.join(dir, REGTEST, "admin.macaroon");
  }

  /** Starts lnd and resolves once its state service says SERVER_ACTIVE. */
  static async start(options: LndNodeOptions): Promise<LndNode> {
    lndExtraArgs(options.config); // a bad option is refused before anything starts
    const executable = options.executable ?? (await findLnd()).path;
    const node = new LndNode(options, executable);
    await node.launch(options.pickPorts, options.signal);
    return node;
  }

  /** The node's name with its kind, e.g. `dave (lnd)`, as errors and reports show it. */
  get name(): string {
    return `${this.options.name} (lnd)`;
  }

  get nodeName(): string {
    return this.options.name;
  }

  /** The node's lnd dir (`lnd.conf`, wallet, TLS certificate, macaroons, logs). */
  get storageDir(): string {
    return this.options.storageDir;
  }

  get consolePath(): string {
    return path.join(this.options.storageDir, "console.log");
  }

  /** How lnd exited (code or signal), once it has; `undefined` while it runs. */
  get exitInfo(): ExitInfo | undefined {
    return this.daemon?.exitInfo;
  }

  /** lnd's process id; `undefined` before it started. */
  get pid(): number | undefined {
    return this.daemon?.pid;
  }

  get nodeId(): string {
    return this.id;
  }

  get p2pAddress(): string {
    return `127.0.0.1:${this.ports.p2p}`;
  }

  /** `127.0.0.1:<port>` of lnd's gRPC API (lncli's `--rpcserver`). */
  get grpcAddress(): string {
    return `127.0.0.1:${this.ports.grpc}`;
  }

  /** `127.0.0.1:<port>` of lnd's REST API. */
  get restAddress(): string {
    return `127.0.0.1:${this.ports.rest}`;
  }

  /** [P2P, gRPC, REST]. */
  get portNumbers(): [number, number, number] {
    return [this.ports.p2p, this.ports.grpc, this.ports.rest];
  }

  /** The REST client of this node (its certificate pinned, the admin macaroon in a private field). */
  get client(): LndClient {
    if (!this.#client) {
      throw new LdkRegtestError("NOT_RUNNING", `${this.name} is not running`, {
        data: { node: this.nodeName },
      });
    }
    return this.#client;
  }

  /**
   * The daemons a wait on this node watches: lnd itself and whatever `options.watch` names (its bitcoind).
   */
  get watched(): readonly Observable[] {
    return [this, ...(this.options.watch ?? [])];
  }

  /** Stops lnd when an `await using` block ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async stop(graceMs = defaultTimeout("stopGrace")): Promise<void> {
    this.#client = undefined;
    await this.daemon?.stop(graceMs);
  }

  async kill(): Promise<void> {
    this.#client = undefined;
    await this.daemon?.kill();
  }

  /** Stops and starts again on the same dir (same wallet, channels and history), same ports when free. */
  async restart({ timeoutMs, signal }: WaitCallOptions = {}): Promise<void> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const left = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
    await this.stop();
    await this.launch(preferPorts(this.portNumbers, this.options.pickPorts), signal, left());
    await this.options.onRestarted?.(this, { timeoutMs: left(), signal });
  }

  // The NetworkNode surface.

  async bestBlockHeight(): Promise<number | undefined> {
    return (await this.client.getInfo()).block_height;
  }

  newAddress(): Promise<string> {
    return this.client.newAddress();
  }

  /** lnd's on-chain and channel balances in sats, as every node kind reports them. */
  async balances(): Promise<NodeBalances> {
    const [wallet, channels] = await Promise.all([this.client.walletBalance(), this.client.channelBalance()]);
    return {
      totalOnchainSats: BigInt(wallet.total_balance),
      spendableOnchainSats: BigInt(wallet.confirmed_balance),
      lightningSats: BigInt(channels.local_balance?.sat ?? 0),
    };
  }

  connectPeer(peer: PeerAddress): Promise<void> {
    return this.client.connectPeer(peer.nodeId, peer.address);
  }

  /** Connects, then OpenChannelSync: it resolves once the funding is published. */
  async openChannel(
    peer: PeerAddress,
    { sats, announce = false, pushMsat }: ChannelOptions,
  ): Promise<OpenedChannel> {
    await this.connectPeer(peer);
    const { txid, outputIndex } = await this.client.openChannel({
      pubkey: peer.nodeId,
      sats: BigInt(sats),
      private: !announce,
      ...(pushMsat === undefined ? {} : { pushSats: pushMsat / 1000n }),
    });
    const point = `${txid}:${outputIndex}`;
    return { channelId: channelIdOf(point), userChannelId: point, fundingTxid: txid };
  }

  /** lnd's open returns once the funding is published: the channel point is all there is to wait for. */
  async waitForFundingBroadcast(userChannelId: string): Promise<OpenedChannel> {
    const [txid = ""] = userChannelId.split(":");
    return { channelId: channelIdOf(userChannelId), userChannelId, fundingTxid: txid };
  }

  /** lnd's open and opening channels with the fields every node kind has (BOLT 2 channel ids). */
  async listChannels(): Promise<ChannelInfo[]> {
    const [info, open, pending] = await Promise.all([
      this.client.getInfo(),
      this.client.listChannels(),
      this.client.pendingChannels(),
    ]);
    return [...open.map((c) => openChannelInfo(c, info.block_height)), ...pending.map(pendingChannelInfo)];
  }

  /** CloseChannel by its channel point (our `userChannelId` of an lnd channel); resolves once broadcast. */
  async closeChannel(channel: ChannelRef): Promise<void> {
    await this.client.closeChannel(channel.userChannelId);
  }

  /** Force-closes by channel point (lnd's open returns it as the user channel id). */
  async forceCloseChannel(channel: ChannelInfo): Promise<void> {
    await this.client.closeChannel(channel.userChannelId, { force: true });
  }

  closureClaims(channelId: string, tip: number): Promise<ClosureClaims> {
    return lndClosureClaims(this.client, channelId, tip);
  }

  graphChannelCount(): Promise<number> {
    return this.client.graphChannelCount();
  }

  createInvoice({ amountMsat, description, expirySecs = 3600 }: InvoiceRequest) {
    return this.client.addInvoice({
      ...(amountMsat === undefined ? {} : { amountMsat }),
      memo: description,
      expirySecs,
    });
  }

  /** The payment id is the payment hash (lnd's own key of a payment). */
  async payInvoice(invoice: string): Promise<{ paymentId: string }> {
    return { paymentId: (await this.client.sendPayment({ invoice })).payment_hash };
  }

  /** A payment sent by this node (by its hash), or an invoice of this node paid or cancelled. */
  async waitForPaymentOutcome(
    paymentHash: string,
    { timeoutMs = defaultTimeout("payment"), signal }: WaitCallOptions = {},
  ): Promise<PaymentOutcome> {
    const outcome = await waitFor(
      `${this.nodeName} has payment ${paymentHash} SUCCEEDED or FAILED`,
      async (): Promise<PaymentOutcome | undefined> => {
        const sent = await this.client.payment(paymentHash);
        if (sent?.status === "SUCCEEDED" || sent?.status === "FAILED") return sent.status;
        if (sent) return undefined;
        const received = await this.client.lookupInvoice(paymentHash);
        if (received?.state === "SETTLED") return "SUCCEEDED";
        if (received?.state === "CANCELED") return "FAILED";
        return undefined;
      },
      { until: (o) => o !== undefined, timeoutMs, signal, watch: this.watched },
    );
    return outcome as PaymentOutcome;
  }

  private async launch(
    pickPorts: LndNodeOptions["pickPorts"],
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ): Promise<void> {
    const started = performance.now();
    await withFreePorts(
      3,
      async ([p2p = 0, grpc = 0, rest = 0]) => {
        signal?.throwIfAborted();
        this.ports = { p2p, grpc, rest };
        const config = renderLndConfig({
          lndDir: this.options.storageDir,
          p2pPort: p2p,
          grpcPort: grpc,
          restPort: rest,
          alias: this.options.alias ?? this.options.name,
          bitcoind: this.options.bitcoind,
        });
        await writeFile(this.configPath, config, { mode: 0o600 }); // holds bitcoind's RPC password
        const consoleStart = await sizeOf(this.consolePath);
        const daemon = DaemonProcess.spawn({
          name: this.name,
          command: this.executable,
          args: [`--configfile=${this.configPath}`, ...lndExtraArgs(this.options.config)],
          env: process.env,
          consolePath: this.consolePath,
        });
        this.daemon = daemon;
        try {
          const ready = defaultTimeout("lndReady");
          await this.waitUntilReady(Math.min(ready, timeoutMs ?? ready), signal);
        } catch (error) {
          this.#client = undefined;
          await daemon.stop(defaultTimeout("failedStartGrace"));
          if (/bind: address already in use/.test(await readSince(this.consolePath, consoleStart))) {
            throw new PortInUseError(`${this.name} could not bind port ${p2p}, ${grpc} or ${rest}`, {
              data: { node: this.nodeName, ports: [p2p, grpc, rest] },
            });
          }
          throw error;
        }
      },
      { pickPorts },
    );
    this.startupMs = Math.round(performance.now() - started);
  }

  /** Polls lnd's state service until SERVER_ACTIVE, then reads the admin macaroon and the node id. */
  private async waitUntilReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    let stateClient: LndClient | undefined;
    await waitFor(
      `${this.name} to report SERVER_ACTIVE`,
      async (probeSignal) => {
        // lnd writes its certificate before it listens: before that there is nothing to dial.
        if (!stateClient) {
          await access(this.certPath);
          stateClient = new LndClient(
            new LndRest(this.restAddress, await readFile(this.certPath), Buffer.alloc(0)),
          );
        }
        return stateClient.state({ timeoutMs: defaultTimeout("readyProbe"), signal: probeSignal });
      },
      {
        until: (state) => state === "SERVER_ACTIVE",
        timeoutMs,
        watch: this.watched,
        maxIntervalMs: defaultTimeout("pollStarting"),
        keepLogsOnFailure: false,
        signal,
      },
    );
    const rest = new LndRest(
      this.restAddress,
      await readFile(this.certPath),
      await readFile(this.macaroonPath),
    );
    this.#client = new LndClient(rest);
    this.id = (await this.#client.getInfo()).identity_pubkey;
  }

  /** What inspect and JSON show: names, addresses and paths, never the macaroon. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      name: this.nodeName,
      nodeId: this.id,
      p2pAddress: this.p2pAddress,
      grpcAddress: this.grpcAddress,
      restAddress: this.restAddress,
      certPath: this.certPath,
      macaroonPath: this.macaroonPath,
    };
  }
}
