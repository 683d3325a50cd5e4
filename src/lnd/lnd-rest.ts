import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError, type LdkRegtestErrorOptions } from "../common/errors.js";

/** A REST call to an lnd failed (code LND_CALL): `status` is the HTTP status, 0 when none came. */
export class LndError extends LdkRegtestError {
  override readonly name = "LndError";
  /** A failed REST call: what failed, and the HTTP status (0 when none came). */
  constructor(
    message: string,
    readonly status: number,
    options?: LdkRegtestErrorOptions,
  ) {
    super("LND_CALL", message, options);
  }
}

/**
 * The transport of lnd's REST API (its gRPC gateway) over node:https: the node's own TLS certificate
 * is the only CA trusted, and the admin macaroon goes in a header. The macaroon lives in a private
 * field: it never shows in inspect, JSON or an error.
 */
export class LndRest {
  readonly #cert: Buffer;
  readonly #macaroonHex: string;

  /**
   * A transport to lnd's REST listener at `address`, trusting `cert` alone and sending `macaroon` (kept
   * private).
   */
  constructor(
    /** `127.0.0.1:<port>` of the REST listener. */
    readonly address: string,
    cert: Buffer,
    macaroon: Buffer,
  ) {
    this.#cert = cert;
    this.#macaroonHex = macaroon.toString("hex");
  }

  /** `GET path`, parsed from JSON. */
  get<T>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>("GET", path, undefined, options);
  }

  /** `POST path` with `body` as JSON, the reply parsed from JSON. */
  post<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.call<T>("POST", path, body, options);
  }

  /** `DELETE path`, the reply parsed from JSON. */
  delete<T>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>("DELETE", path, undefined, options);
  }

  /** One unary call: the JSON answer, or an LndError with lnd's message. */
  async call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    const res = await this.open(method, path, body, options);
    const text = await readAll(res);
    const json = parseJson(text);
    if ((res.statusCode ?? 0) >= 400 || res.statusCode === undefined)
      throw this.failed(method, path, res, json);
    return json as T;
  }

  /**
   * A server stream (newline-delimited `{"result": …}` objects): the first result, then the stream is
   * closed. lnd keeps the operation going when its client leaves (a payment goes on).
   */
  async first<T>(method: string, path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    const res = await this.open(method, path, body, options);
    if ((res.statusCode ?? 0) >= 400) throw this.failed(method, path, res, parseJson(await readAll(res)));
    try {
      let buffered = "";
      for await (const chunk of res) {
        buffered += String(chunk);
        const newline = buffered.indexOf("\n");
        if (newline < 0) continue;
        const message = parseJson(buffered.slice(0, newline)) as { result?: T; error?: unknown };
        if (message.result !== undefined) return message.result;
        throw this.failed(method, path, res, message.error);
      }
      throw new LndError(`lnd ${method} ${path}: the stream ended without an answer`, res.statusCode ?? 0);
    } finally {
      res.destroy();
    }
  }

  private open(method: string, path: string, body: unknown, options: CallOptions): Promise<IncomingMessage> {
    const [host, port] = splitAddress(this.address);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = options.timeoutMs ?? defaultTimeout("nodeCall");
    return new Promise((resolve, reject) => {
      const req = request({
        host,
        port,
        method,
        path,
        ca: this.#cert, // pinned: its own self-signed certificate, nothing else
        headers: {
          "Grpc-Metadata-macaroon": this.#macaroonHex,
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
        },
        agent: false,
        signal: options.signal,
        timeout: timeoutMs,
      });
      req.once("timeout", () =>
        req.destroy(new LndError(`lnd ${method} ${path}: no answer within ${timeoutMs} ms`, 0)),
      );
      req.once("response", resolve);
      req.once("error", (error) =>
        reject(
          error instanceof LndError
            ? error
            : new LndError(`lnd ${method} ${path} at ${this.address}: ${error.message}`, 0, {
                cause: error,
                data: { address: this.address },
              }),
        ),
      );
      req.end(payload);
    });
  }

  private failed(method: string, path: string, res: IncomingMessage, json: unknown): LndError {
    const error = (json ?? {}) as { message?: string; code?: number };
    const status = res.statusCode ?? 0;
    return new LndError(
      `lnd ${method} ${path} failed (${status}): ${error.message ?? "no message"}`,
      status,
      {
        data: { lndCode: error.code, lndMessage: error.message, path },
      },
    );
  }

  /** Nothing of the credentials: what inspect and JSON show. */
  toJSON(): Record<string, unknown> {
    return { address: this.address };
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

async function readAll(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) text += String(chunk);
  return text;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
