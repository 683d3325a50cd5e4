import { access } from "node:fs/promises";
import path from "node:path";
import { ChannelState, LdkServerClient, type Payment, PaymentStatus } from "../client/index.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import type { Launch } from "../daemon/managed-daemon.js";
import { untilAll, untilProbeAnswers } from "../daemon/wait-strategy.js";
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
import { ldkClosureClaims } from "./closure-claims.js";
import { daemonEnv, ldkServerLogPath, renderLdkServerConfig } from "./config.js";
import { EVENT_HISTORY_LIMIT, EventBuffer } from "./event-buffer.js";
import { findLdkServer } from "./executable.js";
import { listAllPayments, waitForListedPayment } from "./listed-payments.js";
import { toChannelInfo, toNodeBalances } from "./node-shapes.js";
import { type TestKnobs, testKnobs } from "./test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "./upstream.js";

export { findLdkServer, LDK_SERVER_EXECUTABLE } from "./executable.js";

/** How to start one ldk-server daemon ({@link LdkServer.start}). */
export interface LdkServerOptions extends NodeDaemonOptions<LdkServer> {
  /** More ldk-server settings merged into the generated config.toml (not ports, storage, chain or log file). */
  config?: Record<string, unknown>;
  /** The `[liquidity]` table (LSPS2 roles), asked for at every start (a client's LSP may have moved). */
  liquidity?: () => Record<string, unknown>;
  /**
   * First start only: the on-chain wallet scans the chain from this height (`--rescan-from-height`)
   * instead of from the tip, so it finds funds sent to it before it started (see prefund).
   */
  rescanFromHeight?: number;
  /** The test build's timer knobs (default: `testKnobs()`, the durations table or LDK_REGTEST_KNOB_*). */
  testKnobs?: TestKnobs;
}

/**
 * One ldk-server daemon: own storage dir and log, random [gRPC, P2P] ports, a connected client and event
 * history. Ready once GetNodeInfo answers and the event subscription is accepted (default timeout
 * DEFAULT_TIMEOUTS.nodeReady).
 */
/**
 * The most above its own fee estimate an ldk-server node pays for a cooperative close (LDK's
 * `force_close_avoidance_max_fee_satoshis`, 1,000 sat by default). On regtest bitcoind has no fee
 * estimates: LDK falls back to 1 sat/vB while lnd falls back to 25 sat/vB (about 4,100 sat for a
 * closing transaction), so with the default LDK gives up the negotiation with an lnd peer and
 * force-closes instead ("Unable to come to consensus about closing feerate").
 */
const COOPERATIVE_CLOSE_MAX_EXTRA_FEE_SATS = 10_000n;

export class LdkServer extends NodeDaemon<LdkServerClient, LdkServerOptions> implements NetworkNode {
  readonly kind = "ldk-server";
  /** Its events since it started; their waits end at once if it (or a daemon it watches) dies. */
  readonly events = new EventBuffer(EVENT_HISTORY_LIMIT, () => this.watched);
  readonly configPath: string;

  protected readonly readiness = untilAll(
    untilProbeAnswers(`${this.name} to answer GetNodeInfo`, (signal) => this.probeNodeInfo(signal)),
    { waitUntilReady: ({ timeoutMs }) => this.attachEvents(timeoutMs) },
  );

  private constructor(
    options: LdkServerOptions,
    executable: string,
    private readonly knobs: TestKnobs,
  ) {
    super(options, {
      kind: "ldk-server",
      executable,
      ports: ["grpc", "p2p"],
      logPath: ldkServerLogPath(options.storageDir),
      readyTimeoutMs: defaultTimeout("nodeReady"),
    });
    this.configPath = path.join(options.storageDir, "config.toml");
  }

  /** Starts the daemon and resolves once GetNodeInfo answers and the event subscription is live. */
  static async start(options: LdkServerOptions): Promise<LdkServer> {
    const knobs = options.testKnobs ?? testKnobs(); // a bad LDK_REGTEST_KNOB_* fails before anything starts
    const executable = options.executable ?? (await findLdkServer()).path;
    const server = new LdkServer(options, executable, knobs);
    await server.startDaemon({ signal: options.signal });
    return server;
  }

  /** Polls ListPayments (all pages) until `paymentId` is listed as SUCCEEDED or FAILED; returns it. */
  waitForListedPayment(paymentId: string, options?: CallOptions): Promise<Payment> {
    return waitForListedPayment(this, paymentId, options);
  }

  /** Every payment in the node's history (all pages). */
  listAllPayments(): Promise<Payment[]> {
    return listAllPayments(this.client);
  }

  // The NetworkNode surface: what a network needs of any node kind.

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
    const request = {
      nodePubkey: peer.nodeId,
      address: peer.address,
      amount: { case: "channelAmountSats", value: BigInt(sats) } as const,
      announceChannel: announce,
      ...(pushMsat === undefined ? {} : { pushToCounterpartyMsat: pushMsat }),
    };
    const { userChannelId } = await this.client.openChannel(request, { signal: options.signal });
    return this.waitForFundingBroadcast(userChannelId, options);
  }

  /**
   * This node's PENDING event for the channel it opened: its funding transaction is broadcast. The wait
   * watches this node; `watch` adds others whose death means the event will not come (the acceptor).
   */
  async waitForFundingBroadcast(
    implementationId: string,
    options: NodeWaitOptions = {},
  ): Promise<OpenedChannel> {
    const userChannelId = implementationId; // ldk-server's own id of the channel
    const pending = await this.events.waitForChannelState({ userChannelId }, ChannelState.PENDING, options);
    return {
      channelId: pending.channelId,
      implementationId,
      fundingTxid: pending.fundingTxo?.split(":")[0] ?? "",
    };
  }

  async listChannels(): Promise<ChannelInfo[]> {
    return (await this.client.listChannels()).channels.map(toChannelInfo);
  }

  /** Cooperative: its closing-fee allowance is raised first, so that an lnd peer's fee is accepted. */
  async closeChannel({ implementationId: userChannelId, counterpartyNodeId }: ChannelRef): Promise<void> {
    await this.client.updateChannelConfig({
      userChannelId,
      counterpartyNodeId,
      channelConfig: { forceCloseAvoidanceMaxFeeSatoshis: COOPERATIVE_CLOSE_MAX_EXTRA_FEE_SATS },
    });
    await this.client.closeChannel({ userChannelId, counterpartyNodeId });
  }

  async forceCloseChannel({
    implementationId: userChannelId,
    counterpartyNodeId,
  }: ChannelInfo): Promise<void> {
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

  /** For a BOLT11 payment ldk-node's payment id is the invoice's payment hash: one call gives both. */
  async payInvoice(invoice: string): Promise<{ paymentId: string; paymentHash: string }> {
    const { paymentId } = await this.client.bolt11Send({ invoice });
    return { paymentId, paymentHash: paymentId };
  }

  /** Listed as SUCCEEDED or FAILED in its payment history. */
  protected async paymentOutcome(paymentId: string, options: CallOptions): Promise<PaymentOutcome> {
    const payment = await this.waitForListedPayment(paymentId, options);
    return payment.status === PaymentStatus.SUCCEEDED ? "SUCCEEDED" : "FAILED";
  }

  protected launch({ grpc = 0, p2p = 0 }: Readonly<Record<string, number>>): Launch {
    const { storageDir } = this.options;
    const height = this.options.rescanFromHeight;
    // Only meaningful when the node's wallet is created: ldk-node ignores it later.
    const firstStart =
      height === undefined || this.startedBefore ? [] : ["--rescan-from-height", String(height)];
    return {
      config: {
        path: this.configPath,
        text: renderLdkServerConfig({
          storageDir,
          grpcPort: grpc,
          p2pPort: p2p,
          alias: this.options.alias ?? this.options.name,
          extra: this.options.config,
          liquidity: this.options.liquidity?.(),
          bitcoind: this.options.bitcoind,
          logFile: this.logPath,
        }),
      },
      args: [this.configPath, ...firstStart],
      env: daemonEnv(process.env, this.knobs),
    };
  }

  /** Ends the event subscription and closes the gRPC connection. */
  protected override async disconnect(): Promise<void> {
    this.events.detach();
    await this.connection?.close();
    this.connection = undefined;
  }

  private async probeNodeInfo(signal: AbortSignal): Promise<unknown> {
    const { storageDir } = this.options;
    // tls.crt is written only after the gRPC port is bound; before that there is nothing to dial.
    if (!this.connection) {
      await access(path.join(storageDir, "tls.crt"));
      this.connection = await LdkServerClient.fromStorageDir(storageDir, { address: this.grpcAddress });
    }
    const info = await this.connection.getNodeInfo({}, { timeoutMs: defaultTimeout("readyProbe"), signal });
    this.id = info.nodeId;
    return info;
  }

  private async attachEvents(timeoutMs: number): Promise<void> {
    const eventsTimeoutMs = Math.min(timeoutMs, defaultTimeout("eventsReady"));
    await this.events.attach(this.client, { timeoutMs: eventsTimeoutMs }).catch((error: Error) => {
      throw new LdkRegtestError(
        "START_FAILED",
        `${this.name} answers GetNodeInfo but refused the event subscription (${error.message}); is it ldk-server built from rev ${LDK_SERVER_UPSTREAM.rev.slice(0, 7)}?`,
        { cause: error, data: { node: this.nodeName, logPath: this.logPath } },
      );
    });
  }
}
