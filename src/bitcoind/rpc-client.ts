import type { CallOptions } from "../common/call-options.js";
import { checkTimeoutMs } from "../common/deadline.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";

/**
 * A JSON-RPC error from bitcoind (code BITCOIND_RPC), with bitcoind's numeric `rpcCode` (e.g. -28 while
 * warming up; the HTTP status when the reply was not JSON-RPC at all) and its own message, `rpcMessage`.
 */
export class BitcoinRpcError extends LdkRegtestError {
  override readonly name = "BitcoinRpcError";
  /**
   * An error reply of `method`: bitcoind's code and message (the HTTP status when the reply was not
   * JSON-RPC).
   */
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    readonly rpcMessage: string,
  ) {
    super("BITCOIND_RPC", `bitcoind ${method} failed (${rpcCode}): ${rpcMessage}`, {
      data: { method, rpcCode },
    });
  }
}

/**
 * bitcoind did not answer a call in time (code BITCOIND_RPC, `data.timeoutMs`), or the call was aborted
 * (code ABORTED): no RPC code, no reply.
 */
export class BitcoinRpcTimeoutError extends LdkRegtestError {
  override readonly name = "BitcoinRpcTimeoutError";
  constructor(
    readonly method: string,
    message: string,
    { aborted = false, timeoutMs }: { aborted?: boolean; timeoutMs?: number } = {},
  ) {
    super(aborted ? "ABORTED" : "BITCOIND_RPC", `bitcoind ${method}: ${message}`, {
      data: { method, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    });
  }
}

/** RPC_IN_WARMUP: bitcoind answers but is still loading. */
export const RPC_IN_WARMUP = -28;
/** RPC_INVALID_ADDRESS_OR_KEY: e.g. gettransaction of a transaction the wallet does not know. */
export const RPC_INVALID_ADDRESS_OR_KEY = -5;
/** RPC_WALLET_ERROR: e.g. createwallet on a wallet that already exists. */
export const RPC_WALLET_ERROR = -4;
/** RPC_WALLET_ALREADY_LOADED. */
export const RPC_WALLET_ALREADY_LOADED = -35;

/** A call's deadline covers the reply body too (default DEFAULT_TIMEOUTS.bitcoindRpc, 30 s). */
export interface RpcCallOptions extends CallOptions {
  /** The wallet endpoint to call (`/wallet/<name>`). */
  wallet?: string;
}

export interface MempoolEntry {
  vsize: number;
  fees: { base: number };
}

/** A small typed JSON-RPC client for the few bitcoind calls a regtest harness needs. */
export class BitcoinRpc {
  // Private fields: util.inspect and JSON.stringify never show them.
  readonly #authorization: string;
  #id = 0;

  /**
   * A client for `url` (bitcoind's RPC address, `http://127.0.0.1:<port>`); the credentials are kept in a
   * private field.
   */
  constructor(
    readonly url: string,
    user: string,
    password: string,
  ) {
    this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }

  /**
   * Calls any RPC `method` with positional `params`; an error reply throws a {@link BitcoinRpcError} with
   * bitcoind's code.
   */
  async call<T>(method: string, params: unknown[] = [], options: RpcCallOptions = {}): Promise<T> {
    const { wallet, signal } = options;
    const timeoutMs = checkTimeoutMs(
      options.timeoutMs ?? defaultTimeout("bitcoindRpc"),
      `bitcoind ${method}`,
    );
    const url = wallet ? `${this.url}/wallet/${encodeURIComponent(wallet)}` : this.url;
    const deadline = AbortSignal.timeout(timeoutMs);
    let text: string;
    let status: number;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: this.#authorization, "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "1.0", id: ++this.#id, method, params }),
        signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (deadline.aborted) {
        throw new BitcoinRpcTimeoutError(method, `no answer from ${this.url} within ${timeoutMs} ms`, {
          timeoutMs,
        });
      }
      if (signal?.aborted) {
        throw new BitcoinRpcTimeoutError(method, `aborted (${String(signal.reason)})`, { aborted: true });
      }
      throw error;
    }
    let body: { result?: T; error?: { code: number; message: string } | null };
    try {
      body = JSON.parse(text);
    } catch {
      throw new BitcoinRpcError(method, status, `HTTP ${status}: ${text.slice(0, 200) || "(empty)"}`);
    }
    if (body.error) throw new BitcoinRpcError(method, body.error.code, body.error.message);
    return body.result as T;
  }

  /** The height of bitcoind's best chain (`getblockcount`). */
  getBlockCount(options?: RpcCallOptions): Promise<number> {
    return this.call("getblockcount", [], options);
  }

  /** The hash of the tip (`getbestblockhash`). */
  getBestBlockHash(): Promise<string> {
    return this.call("getbestblockhash");
  }

  /** The txids in bitcoind's mempool (`getrawmempool`). */
  getRawMempool(): Promise<string[]> {
    return this.call("getrawmempool");
  }

  /** Creates a wallet named `name` (`createwallet`). */
  createWallet(name: string): Promise<{ name: string }> {
    return this.call("createwallet", [name]);
  }

  /** Loads an existing wallet (`loadwallet`). */
  loadWallet(name: string): Promise<{ name: string }> {
    return this.call("loadwallet", [name]);
  }

  /** A fresh address of `wallet` (`getnewaddress`). */
  getNewAddress(wallet: string): Promise<string> {
    return this.call("getnewaddress", [], { wallet });
  }

  /** The spendable balance of `wallet`, in BTC (`getbalance`). */
  getBalance(wallet: string): Promise<number> {
    return this.call("getbalance", [], { wallet });
  }

  /** Mines `blocks` blocks paying `address` and returns their hashes (`generatetoaddress`). */
  generateToAddress(blocks: number, address: string): Promise<string[]> {
    return this.call("generatetoaddress", [blocks, address]);
  }

  /** Pays several addresses in one transaction; amounts in BTC. Returns the txid. */
  sendMany(wallet: string, amounts: Record<string, number>): Promise<string> {
    return this.call("sendmany", ["", amounts], { wallet });
  }

  /** Asks bitcoind to shut down (`stop`); it exits shortly after answering. */
  stop(): Promise<string> {
    return this.call("stop");
  }
}
