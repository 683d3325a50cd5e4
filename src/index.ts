/**
 * ldk-regtest: real bitcoind (regtest) and LDK Server daemons as child processes, driven from TypeScript.
 * The whole gRPC client (every message type) is `ldk-regtest/client`; test fixtures are
 * `ldk-regtest/vitest` and `ldk-regtest/node-test`.
 */
export { BITCOIND_EXECUTABLE, Bitcoind, type BitcoindOptions } from "./bitcoind/bitcoind.js";
export { BitcoinRpc, BitcoinRpcError } from "./bitcoind/rpc-client.js";
export {
  type Channel,
  ChannelState,
  GrpcCode,
  LdkServerClient,
  type LdkServerClientOptions,
  LdkServerError,
  type Payment,
  PaymentDirection,
  PaymentStatus,
} from "./client/index.js";
export type { CallOptions } from "./common/call-options.js";
export { DEFAULT_TIMEOUTS, type DurationName } from "./common/durations.js";
export { ERROR_CODES, type ErrorCode, hasCode, LdkRegtestError } from "./common/errors.js";
export type { InstallResult } from "./install/staged-install.js";
export {
  type AnyNode,
  defaultKind,
  findKind,
  kindNames,
  NODE_KINDS,
  type NodeKind,
  registerKind,
} from "./kinds/registry.js";
export type { EventBuffer } from "./ldk-server/event-buffer.js";
export { LDK_SERVER_LSPS2_EXECUTABLE } from "./ldk-server/executable.js";
export { type HeldPayment, holdPayment } from "./ldk-server/hold-payment.js";
export { type LdkServerConnection, ldkServerKind } from "./ldk-server/kind.js";
export { LDK_SERVER_EXECUTABLE, LdkServer, type LdkServerOptions } from "./ldk-server/ldk-server.js";
export { jitOpeningFeeMsat, LSPS2_SERVICE_DEFAULTS } from "./ldk-server/lsps2.js";
export { LDK_SERVER_UPSTREAM } from "./ldk-server/upstream.js";
export { findLnd, LND_EXECUTABLE, LND_VERSION } from "./lnd/executable.js";
export { type LndConnection, lndKind } from "./lnd/kind.js";
export {
  type LndChannel,
  LndClient,
  type LndInfo,
  type LndInvoice,
  type LndPayment,
  type LndPendingChannel,
  type LndState,
} from "./lnd/lnd-client.js";
export { LndNode, type LndNodeOptions } from "./lnd/lnd-node.js";
export { LndError, LndRest } from "./lnd/lnd-rest.js";
export type { MoneyReport, MoneySnapshot } from "./network/conservation.js";
export type { ForceCloseOptions, ForceCloseResult } from "./network/force-close.js";
export type { FundingAmount } from "./network/funding.js";
export type { JitChannelOptions } from "./network/jit-channel.js";
export { type ChannelSpecOf, Network, type NetworkOptions } from "./network/network.js";
export { NetworkStartError } from "./network/network-errors.js";
export { MAX_REORG_DEPTH, type ReorgOptions, type ReorgResult } from "./network/reorg.js";
export { checkTopology, FUNDING_MARGIN_SATS, loadTopology } from "./network/topology.js";
export { CHANNEL_CONFIRMATIONS, type ChannelEnds } from "./network/usable-channels.js";
export type * from "./node/kind-driver.js";
export type {
  ChannelInfo,
  ChannelOptions,
  ChannelRef,
  ClosureClaims,
  InvoiceRequest,
  NetworkNode,
  NodeBalances,
  OpenedChannel,
  PaymentOutcome,
  PeerAddress,
  PendingClaim,
} from "./node/network-node.js";
export type { ChannelSpec, Lsps2ServiceSpec, NodeSpec, Topology } from "./node/topology-spec.js";
export type { ExitInfo } from "./processes/daemon-process.js";
export {
  type ExecutableSpec,
  type FoundExecutable,
  findExecutable,
  MissingExecutableError,
} from "./processes/find-executable.js";
export { PortInUseError } from "./processes/port-retry.js";
export type { RunDir } from "./processes/run-dir.js";
export type { DaemonReport, Observable } from "./waits/diagnostics.js";
export { WaitError, type WaitFailureReason, type WaitOptions, waitFor } from "./waits/wait-for.js";
export { type InvariantOptions, waitForInvariant } from "./waits/wait-for-invariant.js";
