import { X509Certificate } from "node:crypto";
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { PeerCertificate, TLSSocket } from "node:tls";
import type { CallOptions } from "../../common/call-options.js";
import { checkTimeoutMs } from "../../common/deadline.js";
import { defaultTimeout } from "../../common/durations.js";
import { hasCode, LdkRegtestError } from "../../common/errors.js";
import { authHeader } from "../auth/hmac.js";
import { LdkServerError } from "../ldk-server-error.js";
import { AsyncQueue } from "./async-queue.js";
import { FrameDecoder, FrameError, frameMessage } from "./grpc-frame.js";
import { GrpcCode, readResponseHeaders, readStatus } from "./grpc-status.js";

/** A stream stops reading from the connection while this many messages wait unread (HTTP/2 flow control then holds the server back). */
export const STREAM_HIGH_WATER_MARK = 256;

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

type Status = { code: number; message: string };

/** Node's and OpenSSL's words for a failed TLS handshake (their text, not ours). */
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY/i;

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
  private readonly options: Omit<Http2TransportOptions, "apiKeyHex">;
  // A private field: util.inspect and JSON.stringify of a client never show the key.
  readonly #apiKeyHex: string;

  constructor({ apiKeyHex, ...options }: Http2TransportOptions) {
    this.#apiKeyHex = apiKeyHex;
    this.options = options;
    this.fingerprint = new X509Certificate(options.certificate).fingerprint256;
    this.now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  async unary(path: string, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const method = methodName(path);
    const stream = this.open(path, payload, {
      ...options,
      // Unary calls without their own deadline get one: no call waits forever.
      timeoutMs: options.timeoutMs ?? defaultTimeout("nodeCall"),
    });
    return new Promise<Uint8Array>((resolve, reject) => {
      const decoder = new FrameDecoder();
      const messages: Uint8Array[] = [];
      let status: Status | undefined;
      let failed = false;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(this.wrap(method, error));
        stream.call.close(http2.constants.NGHTTP2_CANCEL);
      };
      stream.call.on("response", (headers) => {
        // Trailers-Only errors and replies that are not gRPC at all are known from the headers alone.
        status = readResponseHeaders(headers);
        if (status && status.code !== GrpcCode.OK)
          fail(new LdkServerError(method, status.code, status.message));
      });
      stream.call.on("data", (chunk: Buffer) => {
        if (failed) return;
        try {
          messages.push(...decoder.push(chunk));
        } catch (error) {
          return fail(error);
        }
        if (messages.length > 1) fail(cardinalityError(method, messages.length));
      });
      stream.call.on("trailers", (trailers) => {
        status = readStatus(trailers) ?? status;
      });
      stream.call.on("error", fail);
      stream.call.on("close", () => {
        stream.settle();
        if (failed) return;
        const problem = stream.cancelled() ?? endOfStreamProblem(method, stream.call, status, decoder);
        if (problem) return fail(problem);
        const message = messages[0];
        if (messages.length !== 1 || message === undefined)
          return fail(cardinalityError(method, messages.length));
        resolve(message);
      });
    });
  }

  serverStream(path: string, payload: Uint8Array, options: CallOptions = {}): PayloadStream {
    const method = methodName(path);
    const stream = this.open(path, payload, { signal: options.signal });
    const queue = new AsyncQueue<Uint8Array>({
      onReturn: () => stream.call.close(http2.constants.NGHTTP2_CANCEL),
      highWaterMark: STREAM_HIGH_WATER_MARK,
      onPressure: (paused) => (paused ? stream.call.pause() : stream.call.resume()),
    });
    const decoder = new FrameDecoder();
    let status: Status | undefined;
    let failure: LdkServerError | undefined;
    const fail = (error: unknown) => {
      failure ??= this.wrap(method, error);
      stream.call.close(http2.constants.NGHTTP2_CANCEL);
    };
    const readyTimeoutMs = checkTimeoutMs(
      options.timeoutMs ?? defaultTimeout("streamReady"),
      `${method} timeoutMs`,
    );
    const readyTimer = setTimeout(
      () =>
        stream.cancel(
          GrpcCode.DEADLINE_EXCEEDED,
          `the server did not accept the stream within ${readyTimeoutMs} ms`,
        ),
      readyTimeoutMs,
    );
    let accept: () => void = () => {};
    let refuse: (error: unknown) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      accept = resolve;
      refuse = reject;
    });
    ready.catch(() => {}); // the failure is also delivered through the iterator
    stream.call.on("response", (headers) => {
      clearTimeout(readyTimer);
      status = readResponseHeaders(headers);
      if (status && status.code !== GrpcCode.OK)
        fail(new LdkServerError(method, status.code, status.message));
      else accept();
    });
    stream.call.on("data", (chunk: Buffer) => {
      if (failure) return;
      try {
        for (const message of decoder.push(chunk)) queue.push(message);
      } catch (error) {
        fail(error);
      }
    });
    stream.call.on("trailers", (trailers) => {
      status = readStatus(trailers) ?? status;
    });
    stream.call.on("error", fail);
    stream.call.on("close", () => {
      clearTimeout(readyTimer);
      stream.settle();
      const cancelled = stream.cancelled();
      // Closed by us (close(), break, or the caller's signal): a normal end, not an error.
      const error =
        cancelled?.grpcCode === GrpcCode.CANCELLED
          ? undefined
          : (cancelled ?? failure ?? endOfStreamProblem(method, stream.call, status, decoder));
      refuse(
        error ?? new LdkServerError(method, GrpcCode.UNAVAILABLE, "stream closed before the server answered"),
      );
      queue.end(error);
    });
    return {
      ready,
      close: () => {
        clearTimeout(readyTimer);
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
      }, defaultTimeout("connectionCloseGrace")).unref();
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
      "x-auth": authHeader(this.#apiKeyHex, body, this.now()),
    };
    if (options.timeoutMs !== undefined) {
      headers["grpc-timeout"] = grpcTimeout(checkTimeoutMs(options.timeoutMs, `${method} timeoutMs`));
    }
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
      cancel,
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
      // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot switch the pin off.
      rejectUnauthorized: true,
      // Pinning: accept exactly this node's certificate, whatever name we dialled it by.
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        cert.fingerprint256 === this.fingerprint ? undefined : pinMismatch(cert.fingerprint256),
    });
    session.on("error", () => {}); // surfaced per stream
    // A second, independent check of the pin before any request goes out (queued requests wait for this).
    session.once("connect", (_session, socket) => {
      const seen = (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
      if (seen !== this.fingerprint) session.destroy(pinMismatch(seen));
    });
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
    if (error instanceof FrameError) return new LdkServerError(method, error.grpcCode, error.message);
    // A stream cancelled because the connection failed carries the socket/TLS error as its cause.
    const outer = error as NodeJS.ErrnoException;
    const err = (
      outer.code === "ERR_HTTP2_STREAM_CANCEL" && outer.cause ? outer.cause : outer
    ) as NodeJS.ErrnoException;
    const detail =
      err instanceof LdkRegtestError
        ? err.message
        : `${err.code ? `${err.code}: ` : ""}${err.message ?? String(error)}`;
    if (hasCode(err, "TRANSPORT") || TLS_ERROR.test(detail)) {
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

/** The server showed another certificate than the pinned one (our check; Node then fails the stream with it). */
function pinMismatch(fingerprint: string | undefined): LdkRegtestError {
  return new LdkRegtestError("TRANSPORT", `server certificate ${fingerprint} is not the pinned one`, {
    data: { fingerprint },
  });
}

function methodName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `grpc-timeout` allows at most 8 digits: milliseconds up to ~27 h, whole seconds beyond. */
function grpcTimeout(ms: number): string {
  const millis = Math.max(1, Math.ceil(ms));
  return millis <= 99_999_999 ? `${millis}m` : `${Math.ceil(millis / 1000)}S`;
}

function cardinalityError(method: string, count: number): LdkServerError {
  return new LdkServerError(
    method,
    GrpcCode.UNIMPLEMENTED,
    `expected exactly one response message for a unary call, got ${count > 1 ? "more than one" : count}`,
  );
}

/** Why a stream that ended on its own is not a clean end: no status, or a frame cut short. */
function endOfStreamProblem(
  method: string,
  call: ClientHttp2Stream,
  status: Status | undefined,
  decoder: FrameDecoder,
): LdkServerError | undefined {
  if (!status) {
    // REFUSED_STREAM means the server never processed it: the one case that is safe to retry.
    const refused = call.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
    return new LdkServerError(
      method,
      refused ? GrpcCode.UNAVAILABLE : GrpcCode.INTERNAL,
      `the stream ended without grpc-status (HTTP/2 RST code ${call.rstCode ?? "none"})`,
    );
  }
  if (decoder.pendingBytes > 0) {
    return new LdkServerError(
      method,
      GrpcCode.INTERNAL,
      `the stream ended inside a message (${decoder.pendingBytes} bytes of an incomplete frame)`,
    );
  }
  if (status.code !== GrpcCode.OK) return new LdkServerError(method, status.code, status.message);
  return undefined;
}
