/** ldk-regtest: real bitcoind (regtest) and LDK Server daemons as child processes, driven from TypeScript. */
export { BITCOIND_EXECUTABLE, Bitcoind, type BitcoindOptions } from "./bitcoind/bitcoind.js";
export { BitcoinRpc, BitcoinRpcError } from "./bitcoind/rpc-client.js";
export * from "./client/index.js";
export { EventBuffer } from "./ldk-server/event-buffer.js";
export { LDK_SERVER_EXECUTABLE, LdkServer, type LdkServerOptions } from "./ldk-server/ldk-server.js";
export { LDK_SERVER_UPSTREAM } from "./ldk-server/upstream.js";
export {
  CHANNEL_CONFIRMATIONS,
  type ChannelOptions,
  Network,
  type NetworkOptions,
} from "./network/network.js";
export {
  type ChannelSpec,
  checkTopology,
  FUNDING_MARGIN_SATS,
  loadTopology,
  type NodeSpec,
  type Topology,
} from "./network/topology.js";
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
export { DEFAULT_TIMEOUTS, type WaitCallOptions } from "./common/durations.js";
export { WaitError, type WaitFailureReason, type WaitOptions, waitFor } from "./waits/wait-for.js";
