import { readFile } from "node:fs/promises";
import { parse } from "smol-toml";
import { LdkRegtestError } from "../common/errors.js";
import { findKind, kindNames, kindOf } from "../kinds/registry.js";
import type { ChannelSpec, NodeSpec, Topology } from "../node/topology-spec.js";

/**
 * On-chain sats a node gets beyond its channels' capacity: the 25,000 sat an anchor channel's acceptor
 * must hold, plus funding fees.
 */
export const FUNDING_MARGIN_SATS = 100_000;

const NODE_KEYS = ["kind", "onchain_sats", "alias", "config", "lsps2_service", "lsps2_client"];
const CHANNEL_KEYS = ["from", "to", "sats", "push_sats", "announce"];

/** Node names become directories and aliases: refuse what cannot be one, before anything starts. */
export function validateNodeNames(names: readonly string[]): void {
  const problem = nodeNameProblem(names);
  if (problem) throw new LdkRegtestError("BAD_TOPOLOGY", problem, { data: { path: "nodes", why: problem } });
}

function nodeNameProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) return "a network needs at least one node name, e.g. nodes: ['alice', 'bob']";
  const bad = names.find((name) => !/^[a-z0-9][a-z0-9-]{0,31}$/.test(name));
  if (bad !== undefined)
    return `bad node name "${bad}": use 1–32 lowercase letters, digits or dashes (it becomes a directory and the alias)`;
  if (names.includes("bitcoind"))
    return 'node name "bitcoind" is taken: bitcoind\'s data dir has that name; pick another';
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) return `node name "${duplicate}" appears twice; every node needs its own name`;
  return undefined;
}

/** Reads and checks a topology file; errors name the file and the key. */
export async function loadTopology(file: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new LdkRegtestError("BAD_TOPOLOGY", `cannot read topology ${file}: ${(error as Error).message}`, {
      cause: error,
      data: { source: file, path: "(file)" },
    });
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new LdkRegtestError("BAD_TOPOLOGY", `${file}: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
      data: { source: file, path: "(toml)" },
    });
  }
  return checkTopology(value, file);
}

/** Checks a topology object; every error names the offending key (`channels[1].to`, …). */
export function checkTopology(value: unknown, source = "topology"): Topology {
  const fail = (key: string, why: string): never => {
    throw new LdkRegtestError("BAD_TOPOLOGY", `${source}: ${key}: ${why}`, {
      data: { source, path: key, why },
    });
  };
  if (!isTable(value)) return fail("(top)", "expected a table with [nodes.<name>] and [[channels]]");
  for (const key of Object.keys(value))
    if (key !== "nodes" && key !== "channels") fail(key, "unknown key (known: nodes, channels)");
  const nodes = value.nodes;
  if (!isTable(nodes) || Object.keys(nodes).length === 0)
    fail("nodes", "at least one [nodes.<name>] table is needed");
  const names = Object.keys(nodes as object);
  const badName = nodeNameProblem(names);
  if (badName) fail("nodes", badName);
  for (const name of names) {
    const node = (nodes as Record<string, unknown>)[name];
    const key = `nodes.${name}`;
    if (!isTable(node)) fail(key, "expected a table");
    for (const k of Object.keys(node as object))
      if (!NODE_KEYS.includes(k)) fail(`${key}.${k}`, `unknown key (known: ${NODE_KEYS.join(", ")})`);
    const { kind, onchain_sats, alias, config } = node as NodeSpec;
    if (kind !== undefined && (typeof kind !== "string" || !findKind(kind)))
      fail(`${key}.kind`, `unknown node kind ${JSON.stringify(kind)} (known: ${kindNames().join(", ")})`);
    if (onchain_sats !== undefined) checkSats(onchain_sats, `${key}.onchain_sats`, fail, 0);
    if (alias !== undefined && (typeof alias !== "string" || Buffer.byteLength(alias) > 32 || alias === ""))
      fail(`${key}.alias`, "expected a string of 1–32 bytes");
    if (config !== undefined && !isTable(config))
      fail(`${key}.config`, "expected a table of the node's own settings");
    kindOf(node as NodeSpec).checkSpec?.(node as NodeSpec, (k, why) => fail(`${key}.${k}`, why));
  }
  checkLsps2Roles(nodes as Record<string, NodeSpec>, fail);
  const channels = value.channels ?? [];
  if (!Array.isArray(channels)) return fail("channels", "expected an array of [[channels]] tables");
  for (const [i, channel] of (channels as unknown[]).entries()) {
    const key = `channels[${i}]`;
    if (!isTable(channel)) return fail(key, "expected a table");
    for (const k of Object.keys(channel))
      if (!CHANNEL_KEYS.includes(k)) fail(`${key}.${k}`, `unknown key (known: ${CHANNEL_KEYS.join(", ")})`);
    for (const end of ["from", "to"] as const) {
      if (typeof channel[end] !== "string") fail(`${key}.${end}`, "expected a node name");
      if (!names.includes(channel[end] as string))
        fail(`${key}.${end}`, `unknown node "${channel[end]}" (nodes: ${names.join(", ")})`);
    }
    if (channel.from === channel.to) fail(key, `a channel from ${channel.from} to itself`);
    checkSats(channel.sats, `${key}.sats`, fail, 1);
    if (channel.push_sats !== undefined) {
      checkSats(channel.push_sats, `${key}.push_sats`, fail, 0);
      if ((channel.push_sats as number) >= (channel.sats as number))
        fail(`${key}.push_sats`, `must be less than the channel's ${channel.sats} sat`);
    }
    if (channel.announce !== undefined && typeof channel.announce !== "boolean")
      fail(`${key}.announce`, "expected true or false");
  }
  const topology = { nodes: nodes as Record<string, NodeSpec>, channels: channels as ChannelSpec[] };
  for (const name of names) {
    const needed = channelCapacityFrom(topology, name);
    const funded = topology.nodes[name]?.onchain_sats;
    if (funded !== undefined && needed > 0 && funded < needed + FUNDING_MARGIN_SATS / 2) {
      fail(
        `nodes.${name}.onchain_sats`,
        `${funded} sat cannot fund its channels (${needed} sat) plus fees and the anchor reserve: give it at least ${needed + FUNDING_MARGIN_SATS / 2}`,
      );
    }
  }
  return topology;
}

/** LSP roles: a node's kind must take its role; a client names an LSP of this topology (not itself). */
function checkLsps2Roles(nodes: Record<string, NodeSpec>, fail: (key: string, why: string) => never): void {
  const lsps = Object.keys(nodes).filter((n) => nodes[n]?.lsps2_service !== undefined);
  for (const [name, node] of Object.entries(nodes)) {
    const key = `nodes.${name}`;
    const lsps2 = kindOf(node).capabilities.lsps2;
    for (const [role, given] of [
      ["service", node.lsps2_service],
      ["client", node.lsps2_client],
    ] as const) {
      if (given !== undefined && !lsps2?.roles.includes(role)) {
        const able = kindNames().filter((k) => findKind(k)?.capabilities.lsps2?.roles.includes(role));
        fail(
          `${key}.kind`,
          `an LSPS2 ${role} needs a node of kind ${able.join(" or ")}, not ${kindOf(node).name}`,
        );
      }
    }
    if (node.lsps2_service !== undefined) {
      const problem = lsps2?.serviceProblem(node.lsps2_service);
      if (problem) fail(`${key}.lsps2_service${problem.key ? `.${problem.key}` : ""}`, problem.why);
    }
    const lsp = node.lsps2_client;
    if (lsp === undefined) continue;
    const known = lsps.length > 0 ? `LSPs: ${lsps.join(", ")}` : "no node has lsps2_service";
    if (typeof lsp !== "string") fail(`${key}.lsps2_client`, `expected the name of an LSP node (${known})`);
    if (lsp === name) fail(`${key}.lsps2_client`, "a node cannot be its own LSP");
    if (node.lsps2_service !== undefined)
      fail(
        `${key}.lsps2_client`,
        "an LSP cannot also be a client of another LSP (LSPs start before their clients)",
      );
    if (!Object.hasOwn(nodes, lsp)) fail(`${key}.lsps2_client`, `unknown node "${lsp}" (${known})`);
    if (nodes[lsp]?.lsps2_service === undefined)
      fail(`${key}.lsps2_client`, `"${lsp}" is not an LSP: give it lsps2_service = {} (${known})`);
  }
}

/** What each node is funded with at start. */
export function fundingOf(topology: Topology): Record<string, number> {
  return Object.fromEntries(
    Object.entries(topology.nodes).map(([name, node]) => [
      name,
      node.onchain_sats ?? channelCapacityFrom(topology, name) + FUNDING_MARGIN_SATS,
    ]),
  );
}

function channelCapacityFrom(topology: Topology, name: string): number {
  return (topology.channels ?? []).filter((c) => c.from === name).reduce((sum, c) => sum + c.sats, 0);
}

function checkSats(
  value: unknown,
  key: string,
  fail: (key: string, why: string) => never,
  min: number,
): void {
  if (typeof value === "bigint") value = Number(value);
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    fail(
      key,
      `expected a whole number of sats${min > 0 ? ` ≥ ${min}` : ""}, got ${JSON.stringify(String(value))}`,
    );
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
