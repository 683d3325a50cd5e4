import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_BITCOIN_CORE_VERSION } from "../cache/bitcoin-core-releases.js";
import { cachedBinaries } from "../cache/cache-dir.js";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import { type Launch, ManagedDaemon, type PortPicker } from "../daemon/managed-daemon.js";
import { untilProbeAnswers } from "../daemon/wait-strategy.js";
import { type ExecutableSpec, findExecutable } from "../processes/find-executable.js";
import { RunDir } from "../processes/run-dir.js";
import { waitFor } from "../waits/wait-for.js";
import { renderBitcoinConf } from "./bitcoin-conf.js";
import { copyReadyChain, readyChain } from "./ready-chain.js";
import {
  BitcoinRpc,
  BitcoinRpcError,
  RPC_IN_WARMUP,
  RPC_INVALID_ADDRESS_OR_KEY,
  RPC_WALLET_ALREADY_LOADED,
  RPC_WALLET_ERROR,
} from "./rpc-client.js";

export const BITCOIND_EXECUTABLE: ExecutableSpec = {
  name: "bitcoind",
  envVar: "BITCOIND_EXE",
  // Recent bitcoind writes <datadir>/settings.json even for -version: in ~/.bitcoin by default (a file in
  // the user's home, and concurrent checks race on its rename and fail). No settings file, no home dir.
  versionArgs: ["-nosettings", `-datadir=${tmpdir()}`, "-version"],
  versionPattern: /Bitcoin Core/,
  installHint:
    "With Nix: `nix develop` in this repo (or `nix shell nixpkgs#bitcoind`); otherwise a Bitcoin Core release from bitcoincore.org or your distribution's package.",
  // The default version first, then any other version installed.
  cached: (env) => cachedBinaries("bitcoind", DEFAULT_BITCOIN_CORE_VERSION, env),
};

export interface BitcoindOptions {
  /** Data directory (created 0700 by the caller); a private temp dir when omitted. */
  dataDir?: string;
  /** Path to bitcoind; otherwise BITCOIND_EXE or PATH. */
  executable?: string;
  /** Give up unless RPC answers within this long (default DEFAULT_TIMEOUTS.bitcoindReady, 30 s). */
  readyTimeoutMs?: number;
  /** Picks [RPC, P2P] ports (default: random free ports); retried with new picks if one is taken. */
  pickPorts?: PortPicker;
  /** Aborting stops the start at whatever phase it is in; the daemon is stopped and the error says so. */
  signal?: AbortSignal;
  /**
   * A new data dir starts from the cache's ready chain (wallet and 101 blocks, built once per bitcoind
   * binary; see ready-chain.ts) instead of mining its own (default true).
   */
  readyChain?: boolean;
}

const WALLET = "ldk-regtest";
const SATS_PER_BTC = 100_000_000;

/**
 * A private regtest bitcoind: random [RPC, P2P] ports on 127.0.0.1, random RPC credentials, its own
 * wallet. Ready once RPC answers (out of warmup); a restart keeps its ports, which every node's config names.
 */
export class Bitcoind extends ManagedDaemon {
  private minerAddress = "";
  // Private fields: util.inspect and JSON.stringify of a Bitcoind (or a Network) never show them.
  readonly #rpcUser = `ldk-regtest-${randomBytes(4).toString("hex")}`;
  readonly #rpcPassword = randomBytes(24).toString("hex");
  #rpc: BitcoinRpc | undefined;

  protected readonly readiness = untilProbeAnswers("bitcoind RPC to answer", async (signal) => {
    try {
      return await this.rpc.getBlockCount({ signal });
    } catch (error) {
      if (error instanceof BitcoinRpcError && error.rpcCode === RPC_IN_WARMUP) return undefined;
      throw error;
    }
  });

  private constructor(
    readonly dataDir: string,
    executable: string,
    options: BitcoindOptions,
    private readonly ownDir: RunDir | undefined,
  ) {
    super({
      name: "bitcoind",
      executable,
      logPath: path.join(dataDir, "regtest", "debug.log"),
      consolePath: path.join(dataDir, "console.log"),
      ports: ["rpc", "p2p"],
      pickPorts: options.pickPorts,
      restartOnSamePorts: true,
      readyTimeoutMs: options.readyTimeoutMs ?? defaultTimeout("bitcoindReady"),
      errorData: { daemon: "bitcoind" },
    });
  }

  /** RPC user, for daemons that connect to us (ldk-server's config); random per run. */
  get rpcUser(): string {
    return this.#rpcUser;
  }

  /** RPC password, for daemons that connect to us; random per run, never printed. */
  get rpcPassword(): string {
    return this.#rpcPassword;
  }

  /** Its JSON-RPC client (the harness wallet's calls name the wallet). */
  get rpc(): BitcoinRpc {
    if (!this.#rpc)
      throw new LdkRegtestError("NOT_RUNNING", "bitcoind is not running", { data: { daemon: "bitcoind" } });
    return this.#rpc;
  }

  /** The port of its JSON-RPC server on 127.0.0.1. */
  get rpcPort(): number {
    return this.port("rpc");
  }

  /** The port it listens on for P2P (no peers connect on regtest). */
  get p2pPort(): number {
    return this.port("p2p");
  }

  /** `127.0.0.1:<port>` of the JSON-RPC server. */
  get rpcAddress(): string {
    return `127.0.0.1:${this.rpcPort}`;
  }

  /**
   * Starts bitcoind, waits for RPC, and has the wallet with 101 blocks (spendable coins): a new data dir
   * from the ready chain, else created and mined here.
   */
  static async start(options: BitcoindOptions = {}): Promise<Bitcoind> {
    const executable = options.executable ?? (await findExecutable(BITCOIND_EXECUTABLE)).path;
    const ownDir = options.dataDir ? undefined : await RunDir.create();
    const dataDir = options.dataDir ?? (await ownDir?.subdir("bitcoind")) ?? "";
    if (options.readyChain !== false && !existsSync(path.join(dataDir, "regtest"))) {
      const chain = await readyChain(executable, async (dir) => {
        const builder = await Bitcoind.start({ ...options, dataDir: dir, executable, readyChain: false });
        await builder.stop();
      });
      await copyReadyChain(chain, dataDir);
    }
    const bitcoind = new Bitcoind(dataDir, executable, options, ownDir);
    await bitcoind.startDaemon({ signal: options.signal });
    const setUp = async () => {
      // A data dir from an earlier run (a resumed dev network) already has the wallet and the chain.
      await bitcoind.rpc.createWallet(WALLET).catch(async (error) => {
        // bitcoind's own words: -4 is any wallet error, only this one means the wallet is there
        const exists = error instanceof BitcoinRpcError && error.rpcCode === RPC_WALLET_ERROR;
        if (!(exists && /already exists/i.test(error.rpcMessage))) throw error;
        await bitcoind.loadWallet();
      });
      bitcoind.minerAddress = await bitcoind.rpc.getNewAddress(WALLET);
      options.signal?.throwIfAborted();
      const height = await bitcoind.rpc.getBlockCount();
      if (height < 101) await bitcoind.generate(101 - height); // coinbase needs 100 blocks to mature
    };
    try {
      options.signal?.throwIfAborted();
      // An abort does not wait for the wallet or the first blocks (about a second): it stops bitcoind now.
      await Promise.race([setUp(), abortedBy(options.signal)]);
      options.signal?.throwIfAborted();
    } catch (error) {
      // ready but unusable: nothing may outlive a failed start
      await bitcoind.stop(defaultTimeout("failedStartGrace"));
      throw error;
    }
    return bitcoind;
  }

  protected launch({ rpc = 0, p2p = 0 }: Readonly<Record<string, number>>): Launch {
    this.#rpc = new BitcoinRpc(`http://127.0.0.1:${rpc}`, this.#rpcUser, this.#rpcPassword);
    const conf = path.join(this.dataDir, "bitcoin.conf");
    const text = renderBitcoinConf({
      rpcPort: rpc,
      p2pPort: p2p,
      rpcUser: this.#rpcUser,
      rpcPassword: this.#rpcPassword,
    });
    return { config: { path: conf, text }, args: [`-datadir=${this.dataDir}`, `-conf=${conf}`] };
  }

  /** A restarted bitcoind has the harness wallet loaded again before `restart()` resolves. */
  protected override afterRestart(): Promise<void> {
    return this.loadWallet();
  }

  /**
   * Mines `blocks` blocks to the harness wallet and returns their hashes, without waiting for anyone
   * (`Network.mine` also waits until every node has them).
   */
  async generate(blocks = 1): Promise<string[]> {
    return this.rpc.generateToAddress(blocks, this.minerAddress);
  }

  /**
   * Mines one block holding exactly `txids` (mempool transactions, parents before children) and no
   * other, e.g. a reorg's new chain that leaves some transactions out. Returns its hash. Its coinbase
   * pays a fresh address: a block re-mined at a height never repeats one `invalidateblock` marked.
   */
  async generateBlock(txids: readonly string[]): Promise<string> {
    const address = await this.rpc.getNewAddress(WALLET);
    const { hash } = await this.rpc.call<{ hash: string }>("generateblock", [address, [...txids]]);
    return hash;
  }

  /** Sends on-chain funds from the harness wallet in one transaction (amounts in sats). Returns the txid. */
  send(amountsSats: Record<string, number | bigint>): Promise<string> {
    const btc = Object.fromEntries(
      Object.entries(amountsSats).map(([address, sats]) => [address, Number(sats) / SATS_PER_BTC]),
    );
    return this.rpc.sendMany(WALLET, btc);
  }

  /**
   * What the harness wallet did in `txid`: sats it sent to others and sats it received, and whether it
   * paid for it (`fromHarness`). `undefined` when the transaction does not touch the wallet.
   */
  async harnessShare(
    txid: string,
  ): Promise<{ fromHarness: boolean; sentSats: bigint; receivedSats: bigint } | undefined> {
    type Detail = { category: string; amount: number };
    const tx = await this.rpc
      .call<{ fee?: number; details: Detail[] }>("gettransaction", [txid], { wallet: WALLET })
      .catch((error) => {
        if (error instanceof BitcoinRpcError && error.rpcCode === RPC_INVALID_ADDRESS_OR_KEY)
          return undefined;
        throw error;
      });
    if (!tx) return undefined;
    const sum = (category: string) =>
      tx.details
        .filter((d) => d.category === category)
        .reduce((total, d) => total + BigInt(Math.round(Math.abs(d.amount) * SATS_PER_BTC)), 0n);
    return { fromHarness: tx.fee !== undefined, sentSats: sum("send"), receivedSats: sum("receive") };
  }

  /** The address at `index` of a descriptor (private keys allowed, e.g. for hardened derivation steps). */
  async deriveAddress(descriptor: string, index = 0): Promise<string> {
    const { checksum } = await this.rpc.call<{ checksum: string }>("getdescriptorinfo", [descriptor]);
    const [address] = await this.rpc.call<string[]>("deriveaddresses", [
      `${descriptor}#${checksum}`,
      [index, index],
    ]);
    if (!address) {
      throw new LdkRegtestError(
        "BITCOIND_RPC",
        `bitcoind derived no address from the descriptor at index ${index}`,
        { data: { method: "deriveaddresses", index } },
      );
    }
    return address;
  }

  /** Waits until `txid` is in the mempool (e.g. a funding transaction a node just broadcast). */
  waitForMempool(
    txid: string,
    { timeoutMs = defaultTimeout("wait"), signal }: CallOptions = {},
  ): Promise<string[]> {
    return waitFor(`transaction ${txid} in bitcoind's mempool`, () => this.rpc.getRawMempool(), {
      until: (txids) => txids.includes(txid),
      timeoutMs,
      signal,
      watch: [this],
    });
  }

  /** Graceful stop (SIGTERM, SIGKILL after `graceMs`); removes its temp dir if it made one. */
  override async stop(graceMs = defaultTimeout("stopGrace")): Promise<void> {
    await super.stop(graceMs);
    await this.ownDir?.dispose();
  }

  private async loadWallet(): Promise<void> {
    await this.rpc.loadWallet(WALLET).catch((e) => {
      if (!(e instanceof BitcoinRpcError && e.rpcCode === RPC_WALLET_ALREADY_LOADED)) throw e;
    });
  }
}

/** Rejects with the signal's reason once it aborts (never, without a signal). */
function abortedBy(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
