import type { CallOptions } from "../common/call-options.js";
import type { PortPicker } from "../daemon/managed-daemon.js";
import type { InstallResult } from "../install/staged-install.js";
import type { ExecutableSpec, FoundExecutable } from "../processes/find-executable.js";
import type { Observable } from "../waits/diagnostics.js";
import type { InvoiceRequest, NetworkNode, OpenedChannel } from "./network-node.js";
import type { ChainSource } from "./node-daemon.js";
import type { Lsps2ServiceSpec, NodeSpec, Topology } from "./topology-spec.js";

/**
 * A node kind as a module: everything the generic layer (network, topology checks, install, doctor,
 * devnet, SimLN, dashboard) needs of an implementation, so that none of it names a kind. Each kind's
 * folder exports one (`src/ldk-server/kind.ts`, `src/lnd/kind.ts`); src/kinds/registry.ts lists them.
 * Methods, not function properties: a driver of `LdkServer` nodes is a driver of `NetworkNode`s.
 */
export interface NodeKindDriver<Node extends NetworkNode = NetworkNode> {
  /** The topology's `kind` and `NetworkNode.kind` of its nodes. */
  readonly name: Node["kind"];
  /** The Network method that returns its nodes typed (`"lnd"` for `net.lnd(name)`), if it has one. */
  readonly accessor?: string;
  /** Every build it runs, the default first (ldk-server: also its LSP build). */
  readonly executables: readonly KindExecutable[];
  /** Which build a node of this topology entry runs. */
  executableFor(spec: NodeSpec | undefined): KindExecutable;
  /** Refuses what this kind cannot do with a topology entry (`fail("config.liquidity", why)`). */
  checkSpec?(spec: NodeSpec, fail: (key: string, why: string) => never): void;
  /** Starts one node with the build that `executableFor` chose, found before anything started. */
  start(launch: NodeLaunch, executable: FoundExecutable): Promise<Node>;
  /** Its log file under its storage dir (read by `logs` when it is not running). */
  logPath(storageDir: string): string;
  /** What the dev network hands out for it. */
  readonly devnet: DevnetHandout<Node>;
  /** Its entry of SimLN's sim file, from its `connections.json` entry. */
  simNode(connection: NodeConnection): Promise<Readonly<Record<string, string>>>;
  /** The dashboard's recent payments and forwards of a node (at most `max` of each); absent: none shown. */
  activity?(node: Node, max: number): Promise<NodeActivity>;
  /** What only some kinds can do: the generic layer asks for these instead of testing the kind. */
  readonly capabilities: KindCapabilities<Node>;
}

/** One executable of a kind: how it is found, installed and checked. */
export interface KindExecutable {
  /** How it is found; `name` is its cache folder, its key in doctor's report and what `install` takes. */
  readonly spec: ExecutableSpec;
  /** Finds it (its environment variable, the cache, PATH). */
  find(): Promise<FoundExecutable>;
  /** Installs it into the cache. */
  install(options: KindInstallOptions): Promise<InstallResult>;
  /** `ldk-regtest install` with no names installs it. */
  readonly installedByDefault?: boolean;
  /** The `install` flag that adds it beside the named daemons (`lsps2` for `--lsps2`), instead of its name. */
  readonly installFlag?: string;
  /** Needed by some networks only, and which (doctor reports it apart, and `ok` does not depend on it). */
  readonly optionalFor?: string;
  /**
   * More checks of a build by its version line (undefined: not found): fields for doctor's report, a
   * problem, a note.
   */
  doctor?(version: string | undefined): DoctorFinding;
}

/** What `ldk-regtest install` passes every installer; each reads the options that apply to it. */
export interface KindInstallOptions {
  /** A release tarball to install instead of a build. */
  fromFile?: string;
  sha256?: string;
  /** The git URL to build from (a kind built from source). */
  gitUrl?: string;
  /** Upstream as it is, without ldk-regtest's test patches. */
  stock?: boolean;
  force?: boolean;
  signal?: AbortSignal;
  /** One line per phase of the install. */
  log: (line: string) => void;
}

/** A kind's own findings about a build, for `doctor`. */
export interface DoctorFinding {
  /** Merged into its entry of the report (JSON). */
  details: Record<string, unknown>;
  /** Why the build is not usable; its fix is the install command. */
  problem?: string;
  /** One more line for a human. */
  note?: string;
}

/** What any node kind is started with by a network. */
export interface NodeLaunch {
  name: string;
  spec: NodeSpec | undefined;
  storageDir: string;
  /** Where the node reads the chain; watched: its death ends the node's waits. */
  bitcoind: ChainSource & Observable;
  topology: Topology | undefined;
  /** First start of a prefunded node only: its wallet scans from this height. */
  rescanFromHeight: number | undefined;
  pickPorts: PortPicker;
  signal: AbortSignal;
  /** Brings the node's channels back after a restart of the node (see `reconnect`). */
  onRestarted: (node: NetworkNode, options: CallOptions) => Promise<void>;
  /** The running node of that name (an LSPS2 client's LSP, which starts first). */
  peer: (name: string) => NetworkNode | undefined;
}

/** How an app reaches a node: paths and addresses only, so it may be printed; each kind adds its own. */
export interface NodeConnection {
  kind: string;
  nodeId: string;
  grpcAddress: string;
  p2pAddress: string;
  tlsCertPath: string;
  configPath: string;
  logPath: string;
}

/** What the dev network hands out for a node of a kind: `connections.json`, `<node>.env`, `up`'s table. */
export interface DevnetHandout<Node extends NetworkNode> {
  /** Its connection (no secrets: `status` and `up` print it). */
  connection(node: Node): NodeConnection;
  /** Its entry of `connections.json` (may hold secrets, e.g. lnd's lndconnect URI); default `connection`. */
  fileConnection?(node: Node): Promise<NodeConnection>;
  /** The lines of its `<node>.env`. */
  envLines(connection: NodeConnection): string[];
  /** The fields of its connection that `up` reports, beyond kind, node id and addresses. */
  readonly upFields: readonly string[];
  /** The field holding the file a client authenticates with (`up`'s last column). */
  readonly credentialField: string;
}

/** A node's recent payments and forwards, as the dashboard lists them. */
export interface NodeActivity {
  payments: PaymentView[];
  forwards: ForwardView[];
}

/** A payment as the dashboard lists it. */
export interface PaymentView {
  id: string;
  direction: "inbound" | "outbound";
  status: "pending" | "succeeded" | "failed";
  amountMsat: string | undefined;
  /** Seconds since the epoch of its last update. */
  updated: number;
}

/** A forward as the dashboard lists it. */
export interface ForwardView {
  amountMsat: string | undefined;
  feeMsat: string | undefined;
}

/** What only some kinds can do. */
export interface KindCapabilities<Node extends NetworkNode> {
  /** Its wallet can be paid before it starts (a chain poll less at start). */
  prefund?: PrefundCapability;
  /** LSPS2 (JIT channels) roles its nodes can take in a topology. */
  lsps2?: Lsps2Capability;
  /** Pays BOLT12 offers. */
  bolt12?: {
    /** Pays a BOLT12 offer; resolves once it is sent, with the id `waitForPaymentOutcome` takes. */
    payOffer(node: Node, offer: string): Promise<{ paymentId: string }>;
  };
  /** JIT channels at run time: a client's invoice through its LSP, and the LSP's open. */
  jit?: JitCapability<Node>;
}

/** Paying a node's wallet before it starts. */
export interface PrefundCapability {
  /**
   * Gives the node a wallet of ours in `storageDir` (it reads it at start) and returns the wallet's first
   * receiving address, derived through `deriveAddress` (bitcoind's `deriveaddresses`).
   */
  seedWallet(storageDir: string, deriveAddress: (descriptor: string) => Promise<string>): Promise<string>;
}

/** LSPS2 in a topology. */
export interface Lsps2Capability {
  readonly roles: readonly ("service" | "client")[];
  /** Why `value` is not a valid `lsps2_service` table (the key under it and the reason), or undefined. */
  serviceProblem(value: unknown): { key: string; why: string } | undefined;
}

/** JIT channels at run time. */
export interface JitCapability<Node extends NetworkNode> {
  /** An invoice of a client node, paid through its LSP (which opens a channel when the payment comes). */
  invoice(client: Node, request: InvoiceRequest): Promise<{ invoice: string }>;
  /** The LSP's event mark now: `waitForOpen` with `since` sees only later opens. */
  mark(lsp: Node): number;
  /** Waits for the channel the LSP opens to `client`; resolves with the opener's ids once it is pending. */
  waitForOpen(
    lsp: Node,
    client: NetworkNode,
    terms: Lsps2ServiceSpec | undefined,
    options: CallOptions & { since?: number },
  ): Promise<OpenedChannel>;
}
