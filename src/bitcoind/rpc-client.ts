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

/** RPC_IN_WARMUP: bitcoind answers but is still loading. */
export const RPC_IN_WARMUP = -28;

export interface MempoolEntry {
  vsize: number;
  fees: { base: number };
}

/** A small typed JSON-RPC client for the few bitcoind calls a regtest harness needs. */
export class BitcoinRpc {
  private readonly authorization: string;
  private id = 0;

  constructor(
    readonly url: string,
    user: string,
    password: string,
  ) {
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }

  async call<T>(method: string, params: unknown[] = [], wallet?: string): Promise<T> {
    const url = wallet ? `${this.url}/wallet/${encodeURIComponent(wallet)}` : this.url;
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: this.authorization, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "1.0", id: ++this.id, method, params }),
    });
    const text = await response.text();
    let body: { result?: T; error?: { code: number; message: string } | null };
    try {
      body = JSON.parse(text);
    } catch {
      throw new BitcoinRpcError(
        method,
        response.status,
        `HTTP ${response.status}: ${text.slice(0, 200) || "(empty)"}`,
      );
    }
    if (body.error) throw new BitcoinRpcError(method, body.error.code, body.error.message);
    return body.result as T;
  }

  getBlockCount(): Promise<number> {
    return this.call("getblockcount");
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

  getNewAddress(wallet: string): Promise<string> {
    return this.call("getnewaddress", [], wallet);
  }

  getBalance(wallet: string): Promise<number> {
    return this.call("getbalance", [], wallet);
  }

  generateToAddress(blocks: number, address: string): Promise<string[]> {
    return this.call("generatetoaddress", [blocks, address]);
  }

  /** Pays several addresses in one transaction; amounts in BTC. Returns the txid. */
  sendMany(wallet: string, amounts: Record<string, number>): Promise<string> {
    return this.call("sendmany", ["", amounts], wallet);
  }

  stop(): Promise<string> {
    return this.call("stop");
  }
}
