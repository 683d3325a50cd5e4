import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import type { Launch } from "../daemon/managed-daemon.js";
import { untilAll, untilProbeAnswers } from "../daemon/wait-strategy.js";
import { channelIdOf } from "../node/channel-id.js";
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
import { NodeDaemon, type NodeDaemonOptions } from "../node/node-daemon.js";
import { waitFor } from "../waits/wait-for.js";
import { findLnd } from "./executable.js";
import { LndClient, type LndState } from "./lnd-client.js";
import { lndClosureClaims } from "./lnd-closure-claims.js";
import { lndExtraArgs, renderLndConfig } from "./lnd-config.js";
import { LndRest } from "./lnd-rest.js";
import { openChannelInfo, pendingChannelInfo } from "./lnd-shapes.js";

/** How to start one lnd daemon ({@link LndNode.start}): its name, storage dir, bitcoind and extra lnd options. */
export interface LndNodeOptions extends NodeDaemonOptions<LndNode> {
  /** More lnd options, as lnd's flag names (`{ "bitcoin.timelockdelta": 40 }`); not the ones we own. */
  config?: Record<string, unknown>;
}

/** Where lnd's regtest files live under its dir (lnd lays them out by chain and network). */
const REGTEST = path.join("data", "chain", "bitcoin", "regtest");

/** Where lnd logs, under its dir (lnd lays its logs out by chain and network). */
export function lndLogPath(storageDir: string): string {
  return path.join(storageDir, "logs", "bitcoin", "regtest", "lnd.log");
}

/**
 * One lnd daemon: own dir, random [P2P, gRPC, REST] ports, its TLS certificate pinned, the admin macaroon
 * read from disk. Ready once its state service says SERVER_ACTIVE (default timeout
 * DEFAULT_TIMEOUTS.nodeReady).
 */
export class LndNode extends NodeDaemon<LndClient, LndNodeOptions> implements NetworkNode {
  readonly kind = "lnd";
  readonly configPath: string;
  /** lnd's TLS certificate (what lncli's `--tlscertpath` takes). */
  readonly certPath: string;
  /** The admin macaroon (what lncli's `--macaroonpath` takes); its content never leaves this process. */
  readonly macaroonPath: string;

  protected readonly readiness = untilAll(
    untilProbeAnswers(`${this.name} to report SERVER_ACTIVE`, (signal) => this.probeState(signal)),
    { waitUntilReady: () => this.connect() },
  );
  /** The state service answers before the macaroon exists: a client without it, while lnd starts. */
  private stateClient: LndClient | undefined;

  private constructor(options: LndNodeOptions, executable: string) {
    super(options, {
      kind: "lnd",
      executable,
      ports: ["p2p", "grpc", "rest"],
      logPath: lndLogPath(options.storageDir),
      readyTimeoutMs: defaultTimeout("nodeReady"),
    });
    const dir = options.storageDir;
    this.configPath = path.join(dir, "lnd.conf");
    this.certPath = path.join(dir, "tls.cert");
    this.macaroonPath = path.join(dir, REGTEST, "admin.macaroon");
  }

  /** Starts lnd and resolves once its state service says SERVER_ACTIVE. */
  static async start(options: LndNodeOptions): Promise<LndNode> {
    lndExtraArgs(options.config); // a bad option is refused before anything starts
    const executable = options.executable ?? (await findLnd()).path;
    const node = new LndNode(options, executable);
    await node.startDaemon({ signal: options.signal });
    return node;
  }

  /** `127.0.0.1:<port>` of lnd's REST API. */
  get restAddress(): string {
    return `127.0.0.1:${this.port("rest")}`;
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
    return this.client.connectPeer({ pubkey: peer.nodeId, host: peer.address });
  }

  /**
   * Connects, then OpenChannelSync: it resolves once the funding is published. `signal` ends it in any
   * step (an interrupted start stops the peer it waits for); `watch` adds daemons whose death ends it.
   */
  async openChannel(
    peer: PeerAddress,
    { sats, announce = false, pushMsat }: ChannelOptions,
    { signal, timeoutMs = defaultTimeout("wait"), watch = [] }: NodeWaitOptions = {},
  ): Promise<OpenedChannel> {
    await this.client.connectPeer({ pubkey: peer.nodeId, host: peer.address }, { signal });
    // A permanent connect returns before the connection is up; an open to a peer that is not online yet
    // fails ("peer … is not online").
    await waitFor(`${this.name} connected to ${peer.nodeId}`, () => this.client.peers({ signal }), {
      until: (peers) => peers.includes(peer.nodeId),
      timeoutMs,
      signal,
      watch: [...this.watched, ...watch],
    });
    const request = {
      pubkey: peer.nodeId,
      sats: BigInt(sats),
      private: !announce,
      ...(pushMsat === undefined ? {} : { pushSats: pushMsat / 1000n }),
    };
    const { txid, outputIndex } = await this.client.openChannel(request, { signal });
    const point = `${txid}:${outputIndex}`;
    return { channelId: channelIdOf(point), implementationId: point, fundingTxid: txid };
  }

  /** lnd's open returns once the funding is published: the channel point is all there is to wait for. */
  async waitForFundingBroadcast(implementationId: string): Promise<OpenedChannel> {
    const [txid = ""] = implementationId.split(":");
    return { channelId: channelIdOf(implementationId), implementationId, fundingTxid: txid };
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

  /** CloseChannel by its channel point (the `implementationId` of an lnd channel); resolves once broadcast. */
  async closeChannel(channel: ChannelRef): Promise<void> {
    await this.client.closeChannel({ channelPoint: channel.implementationId });
  }

  /** Force-closes by channel point (lnd's open returns it as the user channel id). */
  async forceCloseChannel(channel: ChannelInfo): Promise<void> {
    await this.client.closeChannel({ channelPoint: channel.implementationId, force: true });
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
  /** lnd tracks a payment by its hash: both ids are the payment hash. */
  async payInvoice(invoice: string): Promise<{ paymentId: string; paymentHash: string }> {
    const { payment_hash: paymentHash } = await this.client.sendPayment({ invoice });
    return { paymentId: paymentHash, paymentHash };
  }

  /** A payment sent by this node (by its hash), or an invoice of this node paid or cancelled. */
  protected async paymentOutcome(
    paymentHash: string,
    { timeoutMs, signal }: CallOptions,
  ): Promise<PaymentOutcome> {
    const outcome = await waitFor(
      `${this.nodeName} has payment ${paymentHash} SUCCEEDED or FAILED`,
      async (): Promise<PaymentOutcome | undefined> => {
        const sent = await this.client.payment({ paymentHash });
        if (sent?.status === "SUCCEEDED" || sent?.status === "FAILED") return sent.status;
        if (sent) return undefined;
        const received = await this.client.lookupInvoice({ paymentHash });
        if (received?.state === "SETTLED") return "SUCCEEDED";
        if (received?.state === "CANCELED") return "FAILED";
        return undefined;
      },
      { until: (o) => o !== undefined, timeoutMs, signal, watch: this.watched },
    );
    return outcome as PaymentOutcome;
  }

  protected launch({ p2p = 0, grpc = 0, rest = 0 }: Readonly<Record<string, number>>): Launch {
    return {
      config: {
        path: this.configPath,
        text: renderLndConfig({
          lndDir: this.options.storageDir,
          p2pPort: p2p,
          grpcPort: grpc,
          restPort: rest,
          alias: this.options.alias ?? this.options.name,
          bitcoind: this.options.bitcoind,
        }),
      },
      args: [`--configfile=${this.configPath}`, ...lndExtraArgs(this.options.config)],
    };
  }

  protected override async disconnect(): Promise<void> {
    this.stateClient = undefined;
    this.connection = undefined;
  }

  /** lnd's state once SERVER_ACTIVE, else undefined. */
  private async probeState(signal: AbortSignal): Promise<LndState | undefined> {
    // lnd writes its certificate before it listens: before that there is nothing to dial.
    if (!this.stateClient) {
      await access(this.certPath);
      this.stateClient = new LndClient(
        new LndRest(this.restAddress, await readFile(this.certPath), Buffer.alloc(0)),
      );
    }
    const state = await this.stateClient.state({ timeoutMs: defaultTimeout("readyProbe"), signal });
    return state === "SERVER_ACTIVE" ? state : undefined;
  }

  /** Reads the admin macaroon (lnd wrote it before SERVER_ACTIVE) and the node id. */
  private async connect(): Promise<void> {
    this.stateClient = undefined;
    const rest = new LndRest(
      this.restAddress,
      await readFile(this.certPath),
      await readFile(this.macaroonPath),
    );
    this.connection = new LndClient(rest);
    this.id = (await this.connection.getInfo()).identity_pubkey;
  }

  /** What inspect and JSON show: names, addresses and paths, never the macaroon. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      name: this.nodeName,
      nodeId: this.nodeId,
      p2pAddress: this.p2pAddress,
      grpcAddress: this.grpcAddress,
      restAddress: this.restAddress,
      certPath: this.certPath,
      macaroonPath: this.macaroonPath,
    };
  }
}
