import type { CallOptions } from "../common/call-options.js";
import type { Observable } from "../waits/diagnostics.js";

/**
 * What a network needs of a Lightning node, whatever its implementation: the one seam between the
 * Network's logic and a node kind. `LdkServer` implements it; a node of another kind (LND) adds its own
 * class and changes no Network logic. Each kind keeps its own typed client for everything else.
 */
export interface NetworkNode extends Observable {
  /** The implementation, e.g. "ldk-server". */
  readonly kind: string;
  /** The name the network gave it ("alice"). */
  readonly nodeName: string;
  /** Its public key (hex). */
  readonly nodeId: string;
  /** `127.0.0.1:<port>` where it accepts Lightning peers. */
  readonly p2pAddress: string;
  /** Every port it listens on (what a resumed network tries first). */
  readonly portNumbers: readonly number[];
  /** Its best block height, as its chain sync sees it. */
  bestBlockHeight(): Promise<number | undefined>;
  /** A fresh on-chain address of its wallet. */
  newAddress(): Promise<string>;
  /** The node's on-chain and Lightning balances in sats. */
  balances(): Promise<NodeBalances>;
  /** Connects to a peer (and keeps reconnecting to it). A node already connected returns at once. */
  connectPeer(peer: PeerAddress): Promise<void>;
  /** Opens a channel and resolves once its funding transaction is broadcast. */
  openChannel(peer: PeerAddress, channel: ChannelOptions, options?: NodeWaitOptions): Promise<OpenedChannel>;
  /**
   * After an open by this node (by its `implementationId`): resolves once it has handed the funding to its
   * broadcaster, maybe a moment before bitcoind has it (`net.waitForFundingBroadcast` waits for that).
   */
  waitForFundingBroadcast(implementationId: string, options?: NodeWaitOptions): Promise<OpenedChannel>;
  /** The node's open and opening channels, with the fields every kind reports. */
  listChannels(): Promise<ChannelInfo[]>;
  /** Starts a cooperative close of one of its channels (as its `listChannels` reports it). */
  closeChannel(channel: ChannelRef): Promise<void>;
  /** Force-closes one of its channels (from `listChannels`); resolves once it has broadcast its commitment. */
  forceCloseChannel(channel: ChannelInfo): Promise<void>;
  /** What it still waits for on closed channel `channelId` (BOLT 2 id), as of bitcoind's tip `tip`. */
  closureClaims(channelId: string, tip: number): Promise<ClosureClaims>;
  /** How many channels its view of the public graph holds. */
  graphChannelCount(): Promise<number>;
  /** A BOLT11 invoice. */
  createInvoice(request: InvoiceRequest): Promise<{ invoice: string; paymentHash: string }>;
  /**
   * Pays a BOLT11 invoice; resolves once it is sent (see `waitForPaymentOutcome`, which takes the
   * `paymentId`). `paymentId`: the id this node's own API tracks the payment by (ldk-server: its payment
   * id; lnd: the payment hash); `paymentHash`: the invoice's payment hash (hex).
   */
  payInvoice(invoice: string): Promise<{ paymentId: string; paymentHash: string }>;
  /** Waits until a payment sent or received by this node succeeded or failed. */
  waitForPaymentOutcome(paymentId: string, options?: CallOptions): Promise<PaymentOutcome>;
  /** Stops it and starts it again on the same data (and the same ports when they are free). */
  restart(options?: CallOptions): Promise<void>;
  /** Graceful stop; its data stays. */
  stop(): Promise<void>;
  /** SIGKILL, to simulate a crash. */
  kill(): Promise<void>;
}

/** A wait of a node that also ends when one of `watch` dies (e.g. the acceptor of a channel). */
export interface NodeWaitOptions extends CallOptions {
  watch?: readonly Observable[];
}

/** A peer to connect to: its node id (hex) and `host:port`. */
export interface PeerAddress {
  nodeId: string;
  address: string;
}

/** How a channel is opened: its capacity, whether it is announced, and what is pushed to the acceptor. */
export interface ChannelOptions {
  sats: number | bigint;
  /** Announce it to the network (needed to forward through it); default false. */
  announce?: boolean;
  pushMsat?: bigint;
}

/** A channel as its opener reports it right after the open: the ids to find it by. */
export interface OpenedChannel {
  /** The BOLT 2 channel id (hex). */
  channelId: string;
  /**
   * The channel's id in this node's own API (ldk-server: its user channel id; lnd: the channel point
   * `txid:vout`).
   */
  implementationId: string;
  fundingTxid: string;
}

/** A channel as any node kind reports it, each field named for what it is in every implementation. */
export interface ChannelInfo {
  /** The BOLT 2 channel id (hex). */
  channelId: string;
  /**
   * The channel's id in this node's own API (ldk-server: its user channel id; lnd: the channel point
   * `txid:vout`): what the node closes it by.
   */
  implementationId: string;
  counterpartyNodeId: string;
  fundingTxid: string | undefined;
  fundingOutputIndex: number | undefined;
  channelValueSats: bigint;
  outboundCapacityMsat: bigint;
  inboundCapacityMsat: bigint;
  confirmations: number;
  isChannelReady: boolean;
  isUsable: boolean;
  isOutbound: boolean;
  isAnnounced: boolean;
}

/** Which channel of a node: the two ids of its `ChannelInfo` that every kind closes by. */
export type ChannelRef = Pick<ChannelInfo, "implementationId" | "counterpartyNodeId">;

/** A node's balances in sats: on-chain (total and spendable) and over its channels. */
export interface NodeBalances {
  totalOnchainSats: bigint;
  spendableOnchainSats: bigint;
  lightningSats: bigint;
}

/** A BOLT11 invoice to create: amount (absent: any amount), description, expiry. */
export interface InvoiceRequest {
  amountMsat?: bigint;
  description: string;
  expirySecs?: number;
}

/** How a payment ended, the same words for every node kind. */
export type PaymentOutcome = "SUCCEEDED" | "FAILED";

/** One thing a node still waits for on a closed channel, and the height it is due at. */
export interface PendingClaim {
  /** What it is, e.g. "to_self output in its to-self delay", "HTLC 5f3a… claimable by timeout". */
  what: string;
  sats: bigint;
  /** The height it is due (mining to it helps), or undefined when the next block may resolve it. */
  dueHeight?: number;
  /** Blocks from the tip to `dueHeight`. */
  blocksLeft?: number;
}

/** A node's view of a closed channel: its best block, whether that is the tip, what it still waits for. */
export interface ClosureClaims {
  height: number | undefined;
  synced: boolean;
  claims: PendingClaim[];
}

/** A claim due at `dueHeight` (if known), with the blocks left from `tip`. */
export function dueClaim(tip: number, what: string, sats: bigint, dueHeight?: number): PendingClaim {
  return dueHeight === undefined
    ? { what, sats }
    : { what, sats, dueHeight, blocksLeft: Math.max(0, dueHeight - tip) };
}
