/** ldk-regtest: real bitcoind (regtest) and LDK Server daemons as child processes, driven from TypeScript. */
export { BITCOIND_EXECUTABLE, Bitcoind, type BitcoindOptions } from "./bitcoind/bitcoind.js";
export { BitcoinRpc, BitcoinRpcError } from "./bitcoind/rpc-client.js";
export * from "./client/index.js";
export { EventBuffer } from "./ldk-server/event-buffer.js";
export { LDK_SERVER_EXECUTABLE, LdkServer, type LdkServerOptions } from "./ldk-server/ldk-server.js";
export { LDK_SERVER_UPSTREAM } from "./ldk-server/upstream.js";
export { CHANNEL_CONFIRMATIONS, Network, type NetworkOptions } from "./network/network.js";
export { findExecutable, MissingExecutableError } from "./processes/find-executable.js";
export { PortInUseError } from "./processes/port-retry.js";
export { RunDir } from "./processes/run-dir.js";
export { type E2eResult, runPayOverNewChannel } from "./scenario/pay-over-new-channel.js";
export { describeDaemons, type Observable } from "./waits/diagnostics.js";
export { WaitError, type WaitOptions, waitFor } from "./waits/wait-for.js";
