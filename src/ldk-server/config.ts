import path from "node:path";
import { stringify } from "smol-toml";
import { badOption } from "../common/errors.js";
import type { ChainSource } from "../node/node-daemon.js";
import { type TestKnobs, testKnobEnv } from "./test-knobs.js";

/** Where ldk-server logs (the config's `log.file`), under its storage dir. */
export function ldkServerLogPath(storageDir: string): string {
  return path.join(storageDir, "ldk-server.log");
}

export interface LdkServerConfigOptions {
  storageDir: string;
  grpcPort: number;
  p2pPort: number;
  /** Node alias (≤ 32 bytes); also needed for announced channels. */
  alias: string;
  bitcoind: ChainSource;
  logFile: string;
  logLevel?: "Error" | "Warn" | "Info" | "Debug" | "Trace";
  /** The `[liquidity]` table (LSPS2 client and service), written as given. */
  liquidity?: Record<string, unknown>;
  /** More ldk-server settings, merged in (e.g. `{ node: { … }, log: { level: "Trace" } }`). */
  extra?: Record<string, unknown>;
}

/** Keys ldk-regtest owns: ports, storage, chain source and log file are what it starts, waits on and reports. */
const OWNED_KEYS = [
  "node.network",
  "node.listening_addresses",
  "node.grpc_service_address",
  "node.alias",
  "storage.disk.dir_path",
  "bitcoind",
  "log.file",
];

/** The daemon's TOML config for a regtest node bound to 127.0.0.1 and synced from our bitcoind's RPC. */
export function renderLdkServerConfig(o: LdkServerConfigOptions): string {
  if (Buffer.byteLength(o.alias) > 32) {
    throw badOption("alias", `node alias "${o.alias}" is longer than 32 bytes`, { value: o.alias });
  }
  const ours = {
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
    ...(o.liquidity ? { liquidity: o.liquidity } : {}),
  };
  return stringify(o.extra ? merge(ours, o.extra, "") : ours);
}

/** `extra` laid over `base`, table by table; a key ldk-regtest owns is refused by name. */
function merge(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const path = `${prefix}${key}`;
    if (OWNED_KEYS.includes(path)) {
      throw badOption(
        "config",
        `config key ${path} is set by ldk-regtest (ports, storage, chain source, alias and log file are managed); ${path === "node.alias" ? "use the node's alias setting" : "leave it out"}`,
        { key: path },
      );
    }
    const current = out[key];
    out[key] = isTable(current) && isTable(value) ? merge(current, value, `${path}.`) : value;
  }
  return out;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The environment for the daemon: ours minus LDK_SERVER_*, which would silently override the TOML, with
 * the test knobs (a stock build ignores them), and with one-line panics, so a failure report shows the
 * panic message rather than a backtrace.
 */
export function daemonEnv(env: NodeJS.ProcessEnv, knobs: TestKnobs): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([key]) => !key.startsWith("LDK_SERVER_"));
  return { ...Object.fromEntries(kept), ...testKnobEnv(knobs), RUST_BACKTRACE: "0" };
}
