import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { LdkRegtestError } from "../common/errors.js";
import { processOwner } from "../common/process-owner.js";
import { kindOf } from "../kinds/registry.js";
import type { Network } from "../network/network.js";
import type { NodeConnection } from "../node/kind-driver.js";
import type { NetworkNode } from "../node/network-node.js";
import { errorFromJson, errorToJson, type ReportedError, stringifyJson } from "./error-json.js";

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

/** How an app reaches one node: paths and addresses only, so it may be printed (`status`, `up`). */
export function connectionOf(node: NetworkNode): NodeConnection {
  return kindOf(node).devnet.connection(node);
}

/** What `connections.json` holds. */
export interface ConnectionsFile {
  bitcoindRpc: string;
  nodes: Record<string, NodeConnection>;
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

/** A node's entry of the files: its connection, with what its kind adds there (lnd: the lndconnect URI). */
function fileConnectionOf(node: NetworkNode): Promise<NodeConnection> {
  const { devnet } = kindOf(node);
  return devnet.fileConnection ? devnet.fileConnection(node) : Promise.resolve(devnet.connection(node));
}

/** The `<node>.env` lines of one node, named by its kind. */
function envLines(c: NodeConnection): string[] {
  return kindOf(c).devnet.envLines(c);
}
