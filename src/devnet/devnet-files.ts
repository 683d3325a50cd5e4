import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LdkRegtestError } from "../common/errors.js";
import { processOwner } from "../common/process-owner.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { LndNode } from "../lnd/lnd-node.js";
import type { Network } from "../network/network.js";
import type { AnyNode } from "../network/node-kinds.js";
import { errorFromJson, errorToJson, type ReportedError, stringifyJson } from "./error-json.js";
import { lndConnectUri } from "./lndconnect.js";

/** The dev network's directory: `--dir`, default `.ldk-regtest` in the current directory. */
export function devnetDir(dir = ".ldk-regtest"): string {
  return path.resolve(dir);
}

/** The supervisor that holds the network in `dir`: its pid and control socket. */
export interface SupervisorInfo {
  pid: number;
  socket: string;
}

const SUPERVISOR_FILE = "supervisor.json";

/** The control socket: inside the dir (0700), or in the temp dir when that path is too long for a socket. */
export function controlSocketPath(dir: string): string {
  const inside = path.join(dir, "control.sock");
  if (inside.length < 100) return inside;
  return path.join(tmpdir(), `ldkrt-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}.sock`);
}

/** The live supervisor of `dir`, or undefined (none started, or it died: a stale file is ignored). */
export async function readSupervisor(dir: string): Promise<SupervisorInfo | undefined> {
  let info: SupervisorInfo;
  try {
    info = JSON.parse(await readFile(path.join(dir, SUPERVISOR_FILE), "utf8")) as SupervisorInfo;
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(info.pid) && info.pid > 0 && processOwner(info.pid) === "ours"
    ? info
    : undefined;
}

export async function writeSupervisor(dir: string, info: SupervisorInfo): Promise<void> {
  await writeFile(path.join(dir, SUPERVISOR_FILE), JSON.stringify(info), { mode: 0o600 });
}

export async function removeSupervisor(dir: string): Promise<void> {
  await rm(path.join(dir, SUPERVISOR_FILE), { force: true });
}

const FAILURE_FILE = "supervisor-failure.json";

/** Why a detached supervisor could not bring the network up, for the `up --detach` that launched it. */
export async function writeSupervisorFailure(dir: string, error: unknown): Promise<void> {
  await writeFile(path.join(dir, FAILURE_FILE), stringifyJson(errorToJson(error)), { mode: 0o600 });
}

/** The failure a supervisor wrote (and removes the file), or undefined. */
export async function takeSupervisorFailure(dir: string): Promise<ReportedError | undefined> {
  const file = path.join(dir, FAILURE_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  await rm(file, { force: true });
  try {
    return errorFromJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** How an app reaches an ldk-server node. */
export interface LdkServerConnection {
  kind: "ldk-server";
  nodeId: string;
  grpcAddress: string;
  p2pAddress: string;
  tlsCertPath: string;
  apiKeyPath: string;
  configPath: string;
  logPath: string;
}

/** How an app reaches an lnd node: what lncli's `--rpcserver`, `--tlscertpath` and `--macaroonpath` take. */
export interface LndConnection {
  kind: "lnd";
  nodeId: string;
  grpcAddress: string;
  restAddress: string;
  p2pAddress: string;
  tlsCertPath: string;
  macaroonPath: string;
  configPath: string;
  logPath: string;
  /** `lndconnect://…`: in `connections.json` and `<node>.env` only (it holds the macaroon). */
  lndconnect?: string;
}

/** One node of `connections.json`. */
export type NodeConnectionInfo = LdkServerConnection | LndConnection;

function ldkServerConnection(node: LdkServer): LdkServerConnection {
  return {
    kind: node.kind,
    nodeId: node.nodeId,
    grpcAddress: node.grpcAddress,
    p2pAddress: node.p2pAddress,
    tlsCertPath: path.join(node.storageDir, "tls.crt"),
    apiKeyPath: path.join(node.storageDir, "regtest", "api_key"),
    configPath: node.configPath,
    logPath: node.logPath,
  };
}

function lndConnection(node: LndNode): LndConnection {
  return {
    kind: node.kind,
    nodeId: node.nodeId,
    grpcAddress: node.grpcAddress,
    restAddress: node.restAddress,
    p2pAddress: node.p2pAddress,
    tlsCertPath: node.certPath,
    macaroonPath: node.macaroonPath,
    configPath: node.configPath,
    logPath: node.logPath,
  };
}

/** How an app reaches one node: paths and addresses only, so it may be printed (`status`, `up`). */
export function connectionOf(node: AnyNode): NodeConnectionInfo {
  return node.kind === "lnd" ? lndConnection(node) : ldkServerConnection(node);
}

/** What `connections.json` holds. */
export interface ConnectionsFile {
  bitcoindRpc: string;
  nodes: Record<string, NodeConnectionInfo>;
}

/** Reads `connections.json` of the network up in `dir`; says how to start one when none runs. */
export async function readConnections(dir: string): Promise<ConnectionsFile> {
  const running = await readSupervisor(dir);
  const file = path.join(dir, "connections.json");
  if (running) {
    try {
      return JSON.parse(await readFile(file, "utf8")) as ConnectionsFile;
    } catch {
      // written right after the network started: a supervisor without it has not finished starting
    }
  }
  throw notRunning(dir);
}

/** No supervisor holds a network in `dir`: the error names how to start one. */
export function notRunning(dir: string): LdkRegtestError {
  return new LdkRegtestError(
    "NOT_RUNNING",
    `no network is up in ${dir}: start one with \`ldk-regtest up --detach --dir ${dir}\``,
    { data: { dir } },
  );
}

/** Writes `connections.json` and one `<node>.env` per node, for apps to load (0600, in the 0700 dir). */
export async function writeConnectionFiles(dir: string, net: Network): Promise<void> {
  const nodes = Object.fromEntries(
    await Promise.all(
      Object.keys(net.nodes).map(async (name) => [name, await fileConnectionOf(net.node(name))] as const),
    ),
  );
  await writeFile(
    path.join(dir, "connections.json"),
    `${JSON.stringify({ bitcoindRpc: net.bitcoind.rpcAddress, nodes }, null, 2)}\n`,
    { mode: 0o600 },
  );
  for (const [name, c] of Object.entries(nodes)) {
    await writeFile(path.join(dir, `${name}.env`), `${envLines(c).join("\n")}\n`, { mode: 0o600 });
  }
}

/** A node's entry of the files: its connection, with the lndconnect URI for an lnd node. */
async function fileConnectionOf(node: AnyNode): Promise<NodeConnectionInfo> {
  if (node.kind !== "lnd") return connectionOf(node);
  const [cert, macaroon] = await Promise.all([readFile(node.certPath, "utf8"), readFile(node.macaroonPath)]);
  return { ...lndConnection(node), lndconnect: lndConnectUri(node.grpcAddress, cert, macaroon) };
}

/** The `<node>.env` lines of one node, named by its kind. */
function envLines(c: NodeConnectionInfo): string[] {
  if (c.kind === "lnd") {
    return [
      `LND_NODE_ID=${c.nodeId}`,
      `LND_GRPC_ADDRESS=${c.grpcAddress}`,
      `LND_REST_ADDRESS=${c.restAddress}`,
      `LND_P2P_ADDRESS=${c.p2pAddress}`,
      `LND_TLS_CERT=${c.tlsCertPath}`,
      `LND_MACAROON_PATH=${c.macaroonPath}`,
      `LND_CONFIG=${c.configPath}`,
      ...(c.lndconnect ? [`LND_CONNECT_URI=${c.lndconnect}`] : []),
    ];
  }
  return [
    `LDK_SERVER_NODE_ID=${c.nodeId}`,
    `LDK_SERVER_GRPC_ADDRESS=${c.grpcAddress}`,
    `LDK_SERVER_P2P_ADDRESS=${c.p2pAddress}`,
    `LDK_SERVER_TLS_CERT=${c.tlsCertPath}`,
    `LDK_SERVER_API_KEY_PATH=${c.apiKeyPath}`,
    `LDK_SERVER_CONFIG=${c.configPath}`,
  ];
}
