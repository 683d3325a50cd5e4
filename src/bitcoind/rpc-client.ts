import { checkTimeoutMs } from "../common/deadline.js";

/** A JSON-RPC error from bitcoind, with its numeric code (e.g. -28 while warming up). */
export class BitcoinRpcError extends Error {
  override readonly name = "BitcoinRpcError";
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`bitcoind ${method} failed (${code}): ${message}`);
  }
}

/** bitcoind did not answer a call in time (or the call was aborted): no RPC code, no reply. */
export class BitcoinRpcTimeoutError extends Error {
  override readonly name = "BitcoinRpcTimeoutError";
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(`bitcoind ${method}: ${message}`);
  }
}

/** RPC_IN_WARMUP: bitcoind answers but is still loading. */
export const RPC_IN_WARMUP = -28;
/** RPC_WALLET_ERROR: e.g. createwallet on a wallet that already exists. */
export const RPC_WALLET_ERROR = -4;
/** RPC_WALLET_ALREADY_LOADED. */
export const RPC_WALLET_ALREADY_LOADED = -35;

/** Every call gets this deadline unless it passes its own. */
export const DEFAULT_RPC_TIMEOUT_MS = 30_000;

export interface RpcCallOptions {
  /** The wallet endpoint to call (`/wallet/<name>`). */
  wallet?: string;
  /** Deadline for the whole call, reply body included (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
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

  constructor(
    readonly url: string,
    user: string,
    password: string,
  ) {
    this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }

  async call<T>(method: string, params: unknown[] = [], options: RpcCallOptions = {}): Promise<T> {
    const { wallet, signal } = options;
    const timeoutMs = checkTimeoutMs(options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS, `bitcoind ${method}`);
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
      if (deadline.aborted)
        throw new BitcoinRpcTimeoutError(method, `no answer from ${this.url} within ${timeoutMs} ms`);
      if (signal?.aborted) throw new BitcoinRpcTimeoutError(method, `aborted (${String(signal.reason)})`);
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

  getBlockCount(options?: RpcCallOptions): Promise<number> {
    return this.call("getblockcount", [], options);
  }

  getBestBlockHash(): Promise<string> {
    return this.call("getbestblockhash");
  }

  getRawMempool(): Promise<string[]> {
    return this.call("getrawmempool");
  }

  createWallet(name: string): Promise<{ name: string }> {
    return this.call("createwallet", [name]);
  }

  loadWallet(name: string): Promise<{ name: string }> {
    return this.call("loadwallet", [name]);
  }

  getNewAddress(wallet: string): Promise<string> {
    return this.call("getnewaddress", [], { wallet });
  }

  getBalance(wallet: string): Promise<number> {
    return this.call("getbalance", [], { wallet });
  }

  generateToAddress(blocks: number, address: string): Promise<string[]> {
    return this.call("generatetoaddress", [blocks, address]);
  }

  /** Pays several addresses in one transaction; amounts in BTC. Returns the txid. */
  sendMany(wallet: string, amounts: Record<string, number>): Promise<string> {
    return this.call("sendmany", ["", amounts], { wallet });
  }

  stop(): Promise<string> {
    return this.call("stop");
  }
}
