import { badOption, unknownNode } from "../common/errors.js";
import { parseAmountMsat } from "../devnet/amount.js";
import { parseWholeNumber } from "../devnet/args.js";
import { defaultKind, findKind, kindNames } from "../kinds/registry.js";
import type { NodeConnection } from "../node/kind-driver.js";

/**
 * SimLN's simulation file (`sim-cli --sim-file`) for a running dev network, with the field names of
 * sim-ln's own connection structs (sim-cli/src/parsing.rs `SimParams`). SimLN tells node kinds apart by
 * their fields (an untagged enum), so each kind's driver writes exactly the fields its struct has.
 */
export interface SimFile {
  nodes: SimNode[];
  /** Empty: SimLN generates random activity between the nodes. */
  activity: SimActivity[];
}

/** One node's entry, as its kind writes it (`NodeKindDriver.simNode`). */
export type SimNode = Readonly<Record<string, string>>;

/** A payment flow: `source` pays `destination` `amount_msat` every `interval_secs` (`count` times). */
export interface SimActivity {
  source: string;
  destination: string;
  interval_secs: number;
  amount_msat: number;
  count?: number;
}

/** The SimLN entry of one node, by its kind; a kind SimLN cannot drive from here is refused by name. */
export function simNode(name: string, node: NodeConnection): Promise<SimNode> {
  const kind: string = node.kind ?? defaultKind().name; // connections.json written before kinds were recorded
  const driver = findKind(kind);
  if (driver) return driver.simNode(node);
  throw badOption(
    "node",
    `node ${name} is a ${kind} node, which the SimLN export does not know (kinds: ${kindNames().join(", ")})`,
    { node: name, kind },
  );
}

/**
 * One `--activity` option: `<source>:<destination>:<amount>:<interval_secs>[:<count>]`, nodes by
 * name, the amount with its unit (`alice:bob:50sat:5`). Names become node ids (SimLN also reads
 * aliases, but an alias can be changed in the topology).
 */
export function parseActivity(
  text: string,
  nodes: Readonly<Record<string, { nodeId: string }>>,
): SimActivity {
  const parts = text.split(":");
  const names = Object.keys(nodes);
  if (parts.length < 4 || parts.length > 5) {
    throw badOption(
      "activity",
      `--activity "${text}": write <source>:<destination>:<amount>:<interval_secs>[:<count>], e.g. ${names[0] ?? "alice"}:${names[1] ?? "bob"}:50sat:5`,
      { value: text },
    );
  }
  const [source, destination, amount, interval, count] = parts as [string, string, string, string, string?];
  const id = (name: string) => {
    const node = nodes[name];
    if (node) return node.nodeId;
    throw unknownNode(name, names, { context: `--activity "${text}"` });
  };
  if (source === destination) {
    throw badOption("activity", `--activity "${text}": a node cannot pay itself; name two nodes`, {
      value: text,
    });
  }
  const number = (value: string, what: string, max: number) =>
    parseWholeNumber(value, {
      option: "activity",
      what: `--activity "${text}": ${what}`,
      min: 1,
      max,
      fix: "e.g. alice:bob:50sat:5 (50 sat every 5 s), or alice:bob:50sat:5:10 (10 times)",
    });
  const msat = parseAmountMsat(amount);
  if (msat > BigInt(Number.MAX_SAFE_INTEGER)) {
    // JSON numbers past 2^53 lose digits; no channel of a dev network carries that much anyway
    throw badOption("activity", `--activity "${text}": ${amount} is more than a payment can carry`, {
      value: text,
    });
  }
  return {
    source: id(source),
    destination: id(destination),
    amount_msat: Number(msat),
    interval_secs: number(interval, "interval_secs", 65_535), // a u16 in SimLN
    ...(count === undefined ? {} : { count: number(count, "count", Number.MAX_SAFE_INTEGER) }),
  };
}

/** The sim file of a network's nodes (by name, as in `connections.json`) and its activity options. */
export async function buildSimFile(
  nodes: Readonly<Record<string, NodeConnection>>,
  activities: readonly string[] = [],
): Promise<SimFile> {
  const activity = activities.map((text) => parseActivity(text, nodes)); // refused before any file is read
  const entries = await Promise.all(Object.entries(nodes).map(([name, node]) => simNode(name, node)));
  return { nodes: entries, activity };
}
