import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  create,
  type DescMessage,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import type { CallOptions } from "../common/call-options.js";
import { badOption } from "../common/errors.js";
import { apiKeyFromFile } from "./auth/hmac.js";
import type { Event } from "./gen/ldk_server/event_pb.js";
import type { ForwardedPayment } from "./gen/ldk_server/forwarding_pb.js";
import type { Payment } from "./gen/ldk_server/payment_pb.js";
import { LightningNode } from "./gen/ldk_server/service_pb.js";
import { LdkServerError } from "./ldk-server-error.js";
import { paginate } from "./paginate.js";
import { GrpcCode } from "./transport/grpc-status.js";
import { Http2Transport } from "./transport/http2-transport.js";

export type { CallOptions } from "../common/call-options.js";

/** How to reach one ldk-server node: its gRPC address, API key and TLS certificate. */
export interface LdkServerClientOptions {
  /** `host:port` of the node's gRPC service (its `node.grpc_service_address`). */
  address: string;
  /** The 64-character hex API key (hex of the `api_key` file's 32 bytes). */
  apiKey: string;
  /** PEM of the node's `tls.crt`; the connection accepts this certificate and no other. */
  certificate: string | Buffer;
  /** Shown in TLS errors; defaults to "the certificate passed in". */
  certificateSource?: string;
}

/** A live event subscription: iterate it, and `close()` (or `break`) to unsubscribe. */
export interface EventStream extends AsyncIterable<Event> {
  /** Resolves once the server has accepted the subscription: events after this are delivered. */
  readonly ready: Promise<void>;
  /** Unsubscribes: ends the stream; iteration stops after the events already received. */
  close(): void;
}

type Req<M extends { input: DescMessage }> = MessageInitShape<M["input"]>;
const rpc = LightningNode.method;

/** TypeScript client for LDK Server's gRPC API (`api.LightningNode`), usable against any ldk-server. */
export class LdkServerClient {
  private readonly transport: Http2Transport;

  /**
   * A client for the node `options` names; the connection opens at the first call. `apiKey` must be 64
   * lowercase hex characters, else a `TypeError`.
   */
  constructor(options: LdkServerClientOptions) {
    checkApiKey(options.apiKey);
    this.transport = new Http2Transport({
      address: options.address,
      certificate: options.certificate,
      certificateSource: options.certificateSource ?? "the certificate passed in",
      apiKeyHex: options.apiKey,
    });
  }

  /** Connects using a node's storage dir: reads `<dir>/<network>/api_key` and `<dir>/tls.crt`. */
  static async fromStorageDir(
    storageDir: string,
    options: { address: string; network?: string },
  ): Promise<LdkServerClient> {
    const keyPath = path.join(storageDir, options.network ?? "regtest", "api_key");
    const certPath = path.join(storageDir, "tls.crt");
    const [key, certificate] = await Promise.all([readFile(keyPath), readFile(certPath)]);
    return new LdkServerClient({
      address: options.address,
      apiKey: apiKeyFromFile(key),
      certificate,
      certificateSource: certPath,
    });
  }

  // ── Node ──────────────────────────────────────────────────────────────────────────────────────

  /** Node id, best block, listening addresses, sync timestamps, features. */
  getNodeInfo(request: Req<typeof rpc.getNodeInfo> = {}, options?: CallOptions) {
    return this.unary(rpc.getNodeInfo, request, options);
  }

  /** On-chain and lightning balances (spendable on-chain excludes the anchor reserve). */
  getBalances(request: Req<typeof rpc.getBalances> = {}, options?: CallOptions) {
    return this.unary(rpc.getBalances, request, options);
  }

  /** Signs a message with the node key (zbase32 signature, as lightning nodes do). */
  signMessage(request: Req<typeof rpc.signMessage>, options?: CallOptions) {
    return this.unary(rpc.signMessage, request, options);
  }

  /** Checks a signature made by `signMessage` against a public key. */
  verifySignature(request: Req<typeof rpc.verifySignature>, options?: CallOptions) {
    return this.unary(rpc.verifySignature, request, options);
  }

  /** The pathfinding scorer's state, serialized. */
  exportPathfindingScores(request: Req<typeof rpc.exportPathfindingScores> = {}, options?: CallOptions) {
    return this.unary(rpc.exportPathfindingScores, request, options);
  }

  // ── Peers ─────────────────────────────────────────────────────────────────────────────────────

  /** Connects to a peer, optionally persisting it for reconnection. */
  connectPeer(request: Req<typeof rpc.connectPeer>, options?: CallOptions) {
    return this.unary(rpc.connectPeer, request, options);
  }

  /** Disconnects a peer (and forgets it if persisted). */
  disconnectPeer(request: Req<typeof rpc.disconnectPeer>, options?: CallOptions) {
    return this.unary(rpc.disconnectPeer, request, options);
  }

  /** Known peers and whether they are connected. */
  listPeers(request: Req<typeof rpc.listPeers> = {}, options?: CallOptions) {
    return this.unary(rpc.listPeers, request, options);
  }

  // ── On-chain ──────────────────────────────────────────────────────────────────────────────────

  /** A fresh on-chain address of the node's wallet. */
  onchainReceive(request: Req<typeof rpc.onchainReceive> = {}, options?: CallOptions) {
    return this.unary(rpc.onchainReceive, request, options);
  }

  /** Sends on-chain (an amount, or all funds); returns the txid. */
  onchainSend(request: Req<typeof rpc.onchainSend>, options?: CallOptions) {
    return this.unary(rpc.onchainSend, request, options);
  }

  // ── Channels ──────────────────────────────────────────────────────────────────────────────────

  /** Opens a channel (connecting to the peer itself); resolves when the open is initiated. */
  openChannel(request: Req<typeof rpc.openChannel>, options?: CallOptions) {
    return this.unary(rpc.openChannel, request, options);
  }

  /** All channels of the node, pending and ready. */
  listChannels(request: Req<typeof rpc.listChannels> = {}, options?: CallOptions) {
    return this.unary(rpc.listChannels, request, options);
  }

  /** Adds on-chain funds to a channel (splice in). */
  spliceIn(request: Req<typeof rpc.spliceIn>, options?: CallOptions) {
    return this.unary(rpc.spliceIn, request, options);
  }

  /** Moves channel funds to an on-chain address (splice out); returns the address. */
  spliceOut(request: Req<typeof rpc.spliceOut>, options?: CallOptions) {
    return this.unary(rpc.spliceOut, request, options);
  }

  /** Changes a channel's forwarding fees, CLTV delta and other config. */
  updateChannelConfig(request: Req<typeof rpc.updateChannelConfig>, options?: CallOptions) {
    return this.unary(rpc.updateChannelConfig, request, options);
  }

  /** Starts a cooperative close. */
  closeChannel(request: Req<typeof rpc.closeChannel>, options?: CallOptions) {
    return this.unary(rpc.closeChannel, request, options);
  }

  /** Force-closes a channel by broadcasting the latest commitment transaction. */
  forceCloseChannel(request: Req<typeof rpc.forceCloseChannel>, options?: CallOptions) {
    return this.unary(rpc.forceCloseChannel, request, options);
  }

  // ── BOLT11 ────────────────────────────────────────────────────────────────────────────────────

  /** Creates a BOLT11 invoice; `expirySecs` is taken literally (0 means already expired). */
  bolt11Receive(request: Req<typeof rpc.bolt11Receive>, options?: CallOptions) {
    return this.unary(rpc.bolt11Receive, request, options);
  }

  /** Creates a BOLT11 invoice for a hash whose preimage you hold ("hodl" invoice). */
  bolt11ReceiveForHash(request: Req<typeof rpc.bolt11ReceiveForHash>, options?: CallOptions) {
    return this.unary(rpc.bolt11ReceiveForHash, request, options);
  }

  /** Claims a claimable payment to a `bolt11ReceiveForHash` invoice with its preimage. */
  bolt11ClaimForHash(request: Req<typeof rpc.bolt11ClaimForHash>, options?: CallOptions) {
    return this.unary(rpc.bolt11ClaimForHash, request, options);
  }

  /** Fails (returns to the payer) a claimable payment to a `bolt11ReceiveForHash` invoice. */
  bolt11FailForHash(request: Req<typeof rpc.bolt11FailForHash>, options?: CallOptions) {
    return this.unary(rpc.bolt11FailForHash, request, options);
  }

  /** A fixed-amount invoice paid through a just-in-time channel from the configured LSP (LSPS2). */
  bolt11ReceiveViaJitChannel(request: Req<typeof rpc.bolt11ReceiveViaJitChannel>, options?: CallOptions) {
    return this.unary(rpc.bolt11ReceiveViaJitChannel, request, options);
  }

  /** A variable-amount invoice paid through a just-in-time channel from the configured LSP (LSPS2). */
  bolt11ReceiveVariableAmountViaJitChannel(
    request: Req<typeof rpc.bolt11ReceiveVariableAmountViaJitChannel>,
    options?: CallOptions,
  ) {
    return this.unary(rpc.bolt11ReceiveVariableAmountViaJitChannel, request, options);
  }

  /** Pays a BOLT11 invoice; resolves when the payment is dispatched, not when it completes. */
  bolt11Send(request: Req<typeof rpc.bolt11Send>, options?: CallOptions) {
    return this.unary(rpc.bolt11Send, request, options);
  }

  /** Pays less than a BOLT11 invoice asks (for receivers that accept underpaying HTLCs). */
  bolt11SendUnderpaying(request: Req<typeof rpc.bolt11SendUnderpaying>, options?: CallOptions) {
    return this.unary(rpc.bolt11SendUnderpaying, request, options);
  }

  /** Decodes a BOLT11 invoice: destination, amount, hash, expiry, route hints, features. */
  decodeInvoice(request: Req<typeof rpc.decodeInvoice>, options?: CallOptions) {
    return this.unary(rpc.decodeInvoice, request, options);
  }

  // ── BOLT12 ────────────────────────────────────────────────────────────────────────────────────

  /** Creates a BOLT12 offer (fixed or any amount). */
  bolt12Receive(request: Req<typeof rpc.bolt12Receive>, options?: CallOptions) {
    return this.unary(rpc.bolt12Receive, request, options);
  }

  /** Pays a BOLT12 offer; resolves when the payment is dispatched. */
  bolt12Send(request: Req<typeof rpc.bolt12Send>, options?: CallOptions) {
    return this.unary(rpc.bolt12Send, request, options);
  }

  /** Decodes a BOLT12 offer: id, description, amount, paths, expiry. */
  decodeOffer(request: Req<typeof rpc.decodeOffer>, options?: CallOptions) {
    return this.unary(rpc.decodeOffer, request, options);
  }

  // ── Other payments ────────────────────────────────────────────────────────────────────────────

  /** Keysend: pays a node directly, with optional custom TLV records; no invoice needed. */
  spontaneousSend(request: Req<typeof rpc.spontaneousSend>, options?: CallOptions) {
    return this.unary(rpc.spontaneousSend, request, options);
  }

  /** Pays whatever `uri` is (BIP 21 URI, BOLT11 invoice, BOLT12 offer, address) the best way. */
  unifiedSend(request: Req<typeof rpc.unifiedSend>, options?: CallOptions) {
    return this.unary(rpc.unifiedSend, request, options);
  }

  // ── Payment history ───────────────────────────────────────────────────────────────────────────

  /** One payment from the node's live store; `payment` is absent for an unknown id. */
  getPaymentDetails(request: Req<typeof rpc.getPaymentDetails>, options?: CallOptions) {
    return this.unary(rpc.getPaymentDetails, request, options);
  }

  /** One page of the payment history recorded from events (pass `pageToken` for the next page). */
  listPayments(request: Req<typeof rpc.listPayments> = {}, options?: CallOptions) {
    return this.unary(rpc.listPayments, request, options);
  }

  /** Every payment in the history, newest first, fetching pages as you iterate. */
  iteratePayments(options?: CallOptions): AsyncIterable<Payment> {
    return paginate(
      (pageToken) => this.listPayments({ pageToken }, options),
      (page) => page.payments,
    );
  }

  /** One page of the payments this node forwarded. */
  listForwardedPayments(request: Req<typeof rpc.listForwardedPayments> = {}, options?: CallOptions) {
    return this.unary(rpc.listForwardedPayments, request, options);
  }

  /** Every forwarded payment, fetching pages as you iterate. */
  iterateForwardedPayments(options?: CallOptions): AsyncIterable<ForwardedPayment> {
    return paginate(
      (pageToken) => this.listForwardedPayments({ pageToken }, options),
      (page) => page.forwardedPayments,
    );
  }

  // ── Network graph ─────────────────────────────────────────────────────────────────────────────

  /** Short channel ids of every public channel the node knows. */
  graphListChannels(request: Req<typeof rpc.graphListChannels> = {}, options?: CallOptions) {
    return this.unary(rpc.graphListChannels, request, options);
  }

  /** One public channel: its two nodes, capacity and both directions' policies. */
  graphGetChannel(request: Req<typeof rpc.graphGetChannel>, options?: CallOptions) {
    return this.unary(rpc.graphGetChannel, request, options);
  }

  /** Ids of every public node the node knows. */
  graphListNodes(request: Req<typeof rpc.graphListNodes> = {}, options?: CallOptions) {
    return this.unary(rpc.graphListNodes, request, options);
  }

  /** One public node: its channels and announcement (alias, addresses, features). */
  graphGetNode(request: Req<typeof rpc.graphGetNode>, options?: CallOptions) {
    return this.unary(rpc.graphGetNode, request, options);
  }

  // ── Events ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Live events from now on (no replay): await `ready` before triggering what you wait for. `ready`
   * rejects with DEADLINE_EXCEEDED if the server does not accept within `timeoutMs` (default
   * DEFAULT_TIMEOUTS.streamReady, 10 s); once accepted, the stream has no deadline.
   */
  subscribeEvents(request: Req<typeof rpc.subscribeEvents> = {}, options: CallOptions = {}): EventStream {
    return this.serverStream(rpc.subscribeEvents, request, options);
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.transport.close();
  }

  /** `await using client = …`: the connection is closed when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
    options?: CallOptions,
  ): Promise<MessageShape<O>> {
    const bytes = await this.transport.unary(
      pathOf(method),
      toBinary(method.input, create(method.input, request)),
      options,
    );
    return decode(method, method.output, bytes);
  }

  private serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageInitShape<I>,
    options: CallOptions,
  ) {
    const payloads = this.transport.serverStream(
      pathOf(method),
      toBinary(method.input, create(method.input, request)),
      options,
    );
    return {
      ready: payloads.ready,
      close: () => payloads.close(),
      async *[Symbol.asyncIterator]() {
        for await (const bytes of payloads) yield decode(method, method.output, bytes);
      },
    };
  }
}

function pathOf(method: { name: string; parent: { typeName: string } }): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function decode<O extends DescMessage>(
  method: { name: string },
  schema: O,
  bytes: Uint8Array,
): MessageShape<O> {
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    throw new LdkServerError(method.name, GrpcCode.INTERNAL, `cannot decode ${schema.typeName}: ${error}`, {
      cause: error,
    });
  }
}

/** Refuses a key that cannot be right before any call: the server would only answer UNAUTHENTICATED. */
function checkApiKey(apiKey: unknown): void {
  if (typeof apiKey === "string" && /^[0-9a-f]{64}$/.test(apiKey)) return;
  const what =
    typeof apiKey !== "string"
      ? typeof apiKey
      : /^[0-9A-F]{64}$/i.test(apiKey)
        ? "64 hex characters, but not all lowercase"
        : `${apiKey.length} characters, not all hex`;
  throw badOption(
    "apiKey",
    `apiKey must be 64 lowercase hex characters (the hex of the node's 32-byte api_key file), got ${what}; use LdkServerClient.fromStorageDir, or hex-encode <storage>/<network>/api_key`,
  );
}
