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
import { apiKeyFromFile } from "./auth/hmac.js";
import type { Event } from "./gen/ldk_server/event_pb.js";
import { LightningNode } from "./gen/ldk_server/service_pb.js";
import { LdkServerError } from "./ldk-server-error.js";
import { GrpcCode } from "./transport/grpc-status.js";
import { type CallOptions, Http2Transport } from "./transport/http2-transport.js";

export type { CallOptions } from "./transport/http2-transport.js";

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
  close(): void;
}

type Req<M extends { input: DescMessage }> = MessageInitShape<M["input"]>;
const rpc = LightningNode.method;

/** TypeScript client for LDK Server's gRPC API (`api.LightningNode`), usable against any ldk-server. */
export class LdkServerClient {
  private readonly transport: Http2Transport;

  constructor(options: LdkServerClientOptions) {
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

  /** Node id, best block, listening addresses, sync timestamps. */
  getNodeInfo(options?: CallOptions) {
    return this.unary(rpc.getNodeInfo, {}, options);
  }

  /** On-chain and lightning balances (spendable on-chain excludes the anchor reserve). */
  getBalances(options?: CallOptions) {
    return this.unary(rpc.getBalances, {}, options);
  }

  /** A fresh on-chain address of the node's wallet. */
  onchainReceive(options?: CallOptions) {
    return this.unary(rpc.onchainReceive, {}, options);
  }

  /** Creates a BOLT11 invoice; `expirySecs` is taken literally (0 means already expired). */
  bolt11Receive(request: Req<typeof rpc.bolt11Receive>, options?: CallOptions) {
    return this.unary(rpc.bolt11Receive, request, options);
  }

  /** Pays a BOLT11 invoice; resolves when the payment is dispatched, not when it completes. */
  bolt11Send(request: Req<typeof rpc.bolt11Send>, options?: CallOptions) {
    return this.unary(rpc.bolt11Send, request, options);
  }

  /** Opens a channel (connecting to the peer itself); resolves when the open is initiated. */
  openChannel(request: Req<typeof rpc.openChannel>, options?: CallOptions) {
    return this.unary(rpc.openChannel, request, options);
  }

  /** All channels of the node, pending and ready. */
  listChannels(options?: CallOptions) {
    return this.unary(rpc.listChannels, {}, options);
  }

  /** One payment from the node's live store; `payment` is absent for an unknown id. */
  getPaymentDetails(request: Req<typeof rpc.getPaymentDetails>, options?: CallOptions) {
    return this.unary(rpc.getPaymentDetails, request, options);
  }

  /** One page of the payment history recorded from events (pass `pageToken` for the next page). */
  listPayments(request: Req<typeof rpc.listPayments> = {}, options?: CallOptions) {
    return this.unary(rpc.listPayments, request, options);
  }

  /** Connects to a peer, optionally persisting it for reconnection. */
  connectPeer(request: Req<typeof rpc.connectPeer>, options?: CallOptions) {
    return this.unary(rpc.connectPeer, request, options);
  }

  /** Known peers and whether they are connected. */
  listPeers(options?: CallOptions) {
    return this.unary(rpc.listPeers, {}, options);
  }

  /** Live events from now on (no replay): await `ready` before triggering what you wait for. */
  subscribeEvents(options: Pick<CallOptions, "signal"> = {}): EventStream {
    return this.serverStream(rpc.subscribeEvents, {}, options);
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.transport.close();
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
