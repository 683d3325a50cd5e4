import { stringify } from "smol-toml";

export interface LdkServerConfigOptions {
  storageDir: string;
  grpcPort: number;
  p2pPort: number;
  /** Node alias (≤ 32 bytes); also needed for announced channels. */
  alias: string;
  bitcoind: { rpcAddress: string; rpcUser: string; rpcPassword: string };
  logFile: string;
  logLevel?: "Error" | "Warn" | "Info" | "Debug" | "Trace";
}

/** The daemon's TOML config for a regtest node bound to 127.0.0.1 and synced from our bitcoind's RPC. */
export function renderLdkServerConfig(o: LdkServerConfigOptions): string {
  if (Buffer.byteLength(o.alias) > 32) throw new Error(`node alias "${o.alias}" is longer than 32 bytes`);
  return stringify({
    node: {
      network: "regtest",
      listening_addresses: [`127.0.0.1:${o.p2pPort}`],
      grpc_service_address: `127.0.0.1:${o.grpcPort}`,
      alias: o.alias,
    },
    storage: { disk: { dir_path: o.storageDir } },
    bitcoind: {
      rpc_address: o.bitcoind.rpcAddress,
      rpc_user: o.bitcoind.rpcUser,
      rpc_password: o.bitcoind.rpcPassword,
    },
    log: { level: o.logLevel ?? "Debug", file: o.logFile },
  });
}

/**
 * The environment for the daemon: ours minus LDK_SERVER_*, which would silently override the TOML, and
 * with one-line panics, so a failure report shows the panic message rather than a backtrace.
 */
export function daemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([key]) => !key.startsWith("LDK_SERVER_"));
  return { ...Object.fromEntries(kept), RUST_BACKTRACE: "0" };
}
