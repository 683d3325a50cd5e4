import path from "node:path";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import { ManagedDaemon, type PortPicker } from "../daemon/managed-daemon.js";
import type { FoundExecutable } from "../processes/find-executable.js";
import type { Observable } from "../waits/diagnostics.js";
import type { NodeLaunch } from "./kind-driver.js";
import type { PaymentOutcome } from "./network-node.js";

/** Where a node syncs its chain from: a bitcoind's JSON-RPC (what a node kind needs of a Bitcoind). */
export interface ChainSource {
  /** `host:port` of the JSON-RPC server. */
  readonly rpcAddress: string;
  readonly rpcUser: string;
  readonly rpcPassword: string;
}

/** How any Lightning node daemon is started; each kind adds its own options. */
export interface NodeDaemonOptions<Node> {
  /** Short name, e.g. "alice": the name in errors, and the alias unless `alias` is given. */
  name: string;
  alias?: string;
  /** More settings of the daemon, by its own names (each kind says which it takes and refuses). */
  config?: Record<string, unknown>;
  /** Its dir (0700, created by the caller): config, console and log files live beside the data. */
  storageDir: string;
  /** The chain source: the daemon syncs from this bitcoind's RPC. */
  bitcoind: ChainSource;
  /** Path to the daemon; otherwise its environment variable, the cache or PATH. */
  executable?: string;
  /** Give up unless it is ready within this long (default: its kind's entry of DEFAULT_TIMEOUTS). */
  readyTimeoutMs?: number;
  /** Other daemons whose death should end our waits too (e.g. bitcoind). */
  watch?: readonly Observable[];
  /** Picks its ports (default: random free ports); retried with new picks if one is taken. */
  pickPorts?: PortPicker;
  /** Aborting ends the start in whatever phase it is; the daemon is stopped before `start` rejects. */
  signal?: AbortSignal;
  /**
   * Awaited by `restart()` once the node is up again: a network passes what brings its channels back,
   * so that a restart called on the node does the same as one called on the network.
   */
  onRestarted?: (node: Node, options: CallOptions) => Promise<void>;
}

/** What a node kind's class tells its base: its kind, ports, log file and default ready timeout. */
export interface NodeDaemonKind {
  kind: string;
  executable: string;
  ports: readonly string[];
  logPath: string;
  readyTimeoutMs: number;
}

/**
 * What every Lightning node daemon shares on top of the lifecycle: its names, dir, id, addresses, a
 * client that exists only while it runs, and a restart that brings its channels back (`onRestarted`).
 */
export abstract class NodeDaemon<
  Client,
  Options extends NodeDaemonOptions<never> = NodeDaemonOptions<never>,
> extends ManagedDaemon {
  /** Its API client while it runs (set when ready, dropped when it stops). */
  protected connection: Client | undefined;
  /** Its public key, read when it became ready. */
  protected id = "";

  protected constructor(
    protected readonly options: Options,
    { kind, executable, ports, logPath, readyTimeoutMs }: NodeDaemonKind,
  ) {
    super({
      name: `${options.name} (${kind})`,
      executable,
      logPath,
      consolePath: path.join(options.storageDir, "console.log"),
      ports,
      pickPorts: options.pickPorts,
      readyTimeoutMs: options.readyTimeoutMs ?? readyTimeoutMs,
      errorData: { node: options.name },
      watch: options.watch,
    });
  }

  /** The name the network gave it ("alice"). */
  get nodeName(): string {
    return this.options.name;
  }

  /** The node's own dir: config, wallet, keys and logs. */
  get storageDir(): string {
    return this.options.storageDir;
  }

  /** The node's public key (hex). */
  get nodeId(): string {
    return this.id;
  }

  /** `127.0.0.1:<port>` where it accepts Lightning peers. */
  get p2pAddress(): string {
    return `127.0.0.1:${this.port("p2p")}`;
  }

  /** `127.0.0.1:<port>` of its gRPC API. */
  get grpcAddress(): string {
    return `127.0.0.1:${this.port("grpc")}`;
  }

  /** Its API client, connected while it runs. */
  get client(): Client {
    if (this.connection === undefined) {
      throw new LdkRegtestError("NOT_RUNNING", `${this.name} is not running`, {
        data: { node: this.nodeName },
      });
    }
    return this.connection;
  }

  /**
   * Waits until a payment sent or received by this node succeeded or failed (default timeout
   * DEFAULT_TIMEOUTS.payment, for every kind).
   */
  waitForPaymentOutcome(
    paymentId: string,
    { timeoutMs = defaultTimeout("payment"), signal }: CallOptions = {},
  ): Promise<PaymentOutcome> {
    return this.paymentOutcome(paymentId, { timeoutMs, signal });
  }

  /** The kind's own wait for a payment's outcome, by the id its `payInvoice` returned. */
  protected abstract paymentOutcome(paymentId: string, options: CallOptions): Promise<PaymentOutcome>;

  protected override async afterRestart(options: CallOptions): Promise<void> {
    // `Options` fixes the node type of `onRestarted` to the subclass, which `this` is.
    await this.options.onRestarted?.(this as never, options);
  }
}

/** The options every kind's daemon starts with, from its launch; a kind adds its own. */
export function daemonOptionsOf(launch: NodeLaunch, executable: FoundExecutable) {
  return {
    name: launch.name,
    alias: launch.spec?.alias,
    config: launch.spec?.config,
    storageDir: launch.storageDir,
    bitcoind: launch.bitcoind,
    executable: executable.path,
    watch: [launch.bitcoind],
    signal: launch.signal,
    pickPorts: launch.pickPorts,
    onRestarted: launch.onRestarted,
  };
}
