import { X509Certificate } from "node:crypto";
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { PeerCertificate } from "node:tls";
import { authHeader } from "../auth/hmac.js";
import { LdkServerError } from "../ldk-server-error.js";
import { AsyncQueue } from "./async-queue.js";
import { FrameDecoder, frameMessage } from "./grpc-frame.js";
import { GrpcCode, readStatus } from "./grpc-status.js";

export interface CallOptions {
  /** Per-call deadline; also sent as `grpc-timeout` so the server gives up too. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Http2TransportOptions {
  /** `host:port` of the gRPC service. */
  address: string;
  /** PEM of the node's own `tls.crt`: the only certificate this connection accepts. */
  certificate: string | Buffer;
  /** Where the certificate came from, for error messages. */
  certificateSource: string;
  apiKeyHex: string;
  /** Clock used for the HMAC timestamp (tests pin it). */
  nowSeconds?: () => number;
}

/** A server-streaming call: async iterable of payloads, plus `ready` once the server accepted it. */
export interface PayloadStream extends AsyncIterable<Uint8Array> {
  readonly ready: Promise<void>;
  close(): void;
}

const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|pinned/i;

/**
 * gRPC over one reused HTTP/2 connection with the node's certificate pinned and every request
 * HMAC-signed over its exact framed bytes. Plain `node:http2` rather than a gRPC library so that the
 * bytes signed are the bytes sent.
 */
export class Http2Transport {
  private session: ClientHttp2Session | undefined;
  private active = 0;
  private readonly fingerprint: string;
  private readonly now: () => number;

  constructor(private readonly options: Http2TransportOptions) {
    this.fingerprint = new X509Certificate(options.certificate).fingerprint256;
    this.now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  async unary(path: string, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const method = methodName(path);
    const stream = this.open(path, payload, options);
    return new Promise<Uint8Array>((resolve, reject) => {
      const decoder = new FrameDecoder();
      const messages: Uint8Array[] = [];
      let status: { code: number; message: string } | undefined;
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(this.wrap(method, error));
      };
      stream.call.on("response", (headers) => {
        status = readStatus(headers); // Trailers-Only: an error arrives in the response headers
      });
      stream.call.on("data", (chunk: Buffer) => {
        try {
          messages.push(...decoder.push(chunk));
        } catch (error) {
          fail(error);
          stream.call.close(http2.constants.NGHTTP2_CANCEL);
        }
      });
      stream.call.on("trailers", (trailers) => {
        status = readStatus(trailers) ?? status;
      });
      stream.call.on("error", fail);
      stream.call.on("close", () => {
        stream.settle();
        if (failed) return;
        const cancelled = stream.cancelled();
        if (cancelled) return fail(cancelled);
        if (!status)
          return fail(new Error(`stream closed without grpc-status (RST code ${stream.call.rstCode})`));
        if (status.code !== GrpcCode.OK) return fail(new LdkServerError(method, status.code, status.message));
        const message = messages[0];
        if (messages.length !== 1 || message === undefined || decoder.pendingBytes > 0) {
          return fail(new Error(`expected one response message, got ${messages.length}`));
        }
        resolve(message);
      });
    });
  }

  serverStream(path: string, payload: Uint8Array, options: CallOptions = {}): PayloadStream {
    const method = methodName(path);
    const stream = this.open(path, payload, { signal: options.signal });
    const queue = new AsyncQueue<Uint8Array>(() => stream.call.close(http2.constants.NGHTTP2_CANCEL));
    const decoder = new FrameDecoder();
    let status: { code: number; message: string } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      stream.call.on("response", (headers) => {
        status = readStatus(headers);
        if (status && status.code !== GrpcCode.OK)
          reject(new LdkServerError(method, status.code, status.message));
        else resolve();
      });
      stream.call.on("close", () =>
        reject(this.wrap(method, new Error("stream closed before the server answered"))),
      );
    });
    ready.catch(() => {}); // the failure is also delivered through the iterator
    stream.call.on("data", (chunk: Buffer) => {
      try {
        for (const message of decoder.push(chunk)) queue.push(message);
      } catch (error) {
        queue.end(this.wrap(method, error));
        stream.call.close(http2.constants.NGHTTP2_CANCEL);
      }
    });
    stream.call.on("trailers", (trailers) => {
      status = readStatus(trailers) ?? status;
    });
    stream.call.on("error", (error) => queue.end(this.wrap(method, error)));
    stream.call.on("close", () => {
      stream.settle();
      const cancelled = stream.cancelled();
      if (cancelled) return queue.end(cancelled.code === GrpcCode.CANCELLED ? undefined : cancelled);
      if (status && status.code !== GrpcCode.OK) {
        return queue.end(new LdkServerError(method, status.code, status.message));
      }
      queue.end();
    });
    return {
      ready,
      close: () => {
        queue.end();
        stream.call.close(http2.constants.NGHTTP2_CANCEL);
      },
      [Symbol.asyncIterator]: () => queue,
    };
  }

  /** Closes the connection; calls in flight fail with CANCELLED. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session || session.destroyed) return;
    await new Promise<void>((resolve) => {
      session.close(() => resolve());
      setTimeout(() => {
        session.destroy();
        resolve();
      }, 1000).unref();
    });
  }

  private open(path: string, payload: Uint8Array, options: CallOptions) {
    const method = methodName(path);
    const body = frameMessage(payload);
    const headers: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      "x-auth": authHeader(this.options.apiKeyHex, body, this.now()),
    };
    if (options.timeoutMs !== undefined)
      headers["grpc-timeout"] = `${Math.max(1, Math.ceil(options.timeoutMs))}m`;
    const call: ClientHttp2Stream = this.connect().request(headers);
    this.track(+1);
    let cancelledWith: LdkServerError | undefined;
    const cancel = (code: number, message: string) => {
      cancelledWith ??= new LdkServerError(method, code, message);
      call.close(http2.constants.NGHTTP2_CANCEL);
    };
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => cancel(GrpcCode.DEADLINE_EXCEEDED, `no answer within ${options.timeoutMs} ms`),
            options.timeoutMs,
          );
    const onAbort = () =>
      cancel(GrpcCode.CANCELLED, `aborted: ${String(options.signal?.reason ?? "signal")}`);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    call.end(body);
    let settled = false;
    return {
      call,
      cancelled: () => cancelledWith,
      settle: () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.track(-1);
      },
    };
  }

  private connect(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(`https://${this.options.address}`, {
      ca: this.options.certificate,
      ALPNProtocols: ["h2"],
      // Pinning: accept exactly this node's certificate, whatever name we dialled it by.
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        cert.fingerprint256 === this.fingerprint
          ? undefined
          : new Error(`server certificate ${cert.fingerprint256} is not the pinned one`),
    });
    session.on("error", () => {}); // surfaced per stream
    session.on("close", () => {
      if (this.session === session) this.session = undefined;
    });
    this.session = session;
    if (this.active === 0) session.unref();
    return session;
  }

  /** Keep the process alive only while calls are in flight, so an idle client never blocks exit. */
  private track(delta: number): void {
    this.active += delta;
    if (this.active === 0) this.session?.unref();
    else if (this.active === 1 && delta > 0) this.session?.ref();
  }

  private wrap(method: string, error: unknown): LdkServerError {
    if (error instanceof LdkServerError) return error;
    // A stream cancelled because the connection failed carries the socket/TLS error as its cause.
    const outer = error as NodeJS.ErrnoException;
    const err = (
      outer.code === "ERR_HTTP2_STREAM_CANCEL" && outer.cause ? outer.cause : outer
    ) as NodeJS.ErrnoException;
    const detail = `${err.code ? `${err.code}: ` : ""}${err.message ?? String(error)}`;
    if (TLS_ERROR.test(detail)) {
      return new LdkServerError(
        method,
        GrpcCode.UNAVAILABLE,
        `TLS handshake with ${this.options.address} failed (${detail}); expected the certificate from ${this.options.certificateSource} (sha256 ${this.fingerprint})`,
        { cause: error },
      );
    }
    if (err.code === "ECONNREFUSED") {
      return new LdkServerError(
        method,
        GrpcCode.UNAVAILABLE,
        `cannot connect to ${this.options.address} (connection refused): is ldk-server running and is this its grpc_service_address?`,
        { cause: error },
      );
    }
    return new LdkServerError(method, GrpcCode.UNAVAILABLE, detail, { cause: error });
  }
}

function methodName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
