import { badOption } from "../common/errors.js";
import { ldkServerKind } from "../ldk-server/kind.js";
import { lndKind } from "../lnd/kind.js";
import type { KindExecutable, NodeKindDriver } from "../node/kind-driver.js";
import type { NodeSpec } from "../node/topology-spec.js";
import type { FoundExecutable } from "../processes/find-executable.js";

/**
 * Every node kind, one line each, the default kind first: the only list of kinds. Install, the cache,
 * doctor, topology checks, the Network, templates, the dev network, SimLN and the dashboard all ask it.
 */
export const NODE_KINDS = [ldkServerKind, lndKind] as const;

/** A node of any built-in kind a network runs: narrow it by `kind` to reach its own client. */
export type AnyNode = Awaited<ReturnType<(typeof NODE_KINDS)[number]["start"]>>;

/** A node's kind (`NetworkNode.kind`). */
export type NodeKind = AnyNode["kind"];

const drivers = new Map<string, NodeKindDriver>(NODE_KINDS.map((driver) => [driver.name, driver]));

/**
 * Adds a kind beside the built-in ones (a test's fake kind); returns what removes it again. A kind of
 * the package is a line of NODE_KINDS instead.
 */
export function registerKind(driver: NodeKindDriver): () => void {
  if (drivers.has(driver.name)) {
    throw badOption(
      "kind",
      `node kind ${driver.name} is registered already; remove it first or pick another name`,
      {
        value: driver.name,
      },
    );
  }
  drivers.set(driver.name, driver);
  return () => {
    drivers.delete(driver.name);
  };
}

/** The names of every kind, the default first. */
export function kindNames(): string[] {
  return [...drivers.keys()];
}

/** Every kind's driver, the default first. */
export function kindDrivers(): NodeKindDriver[] {
  return [...drivers.values()];
}

/** The driver of kind `name`, or undefined for a kind nobody registered. */
export function findKind(name: string): NodeKindDriver | undefined {
  return drivers.get(name);
}

/**
 * The driver of a node: its topology entry's kind (default: the first kind), or a running node's
 * `kind`. Only checked topologies and started nodes come here, so the kind is known.
 */
export function kindOf(node: NodeSpec | { kind: string } | undefined): NodeKindDriver {
  const name = node?.kind ?? NODE_KINDS[0].name;
  const driver = drivers.get(name);
  if (!driver) {
    throw badOption("kind", `node kind ${name} is not registered; use one of: ${kindNames().join(", ")}`, {
      value: name,
      kinds: kindNames(),
    });
  }
  return driver;
}

/** The default kind: what a topology entry without `kind` runs. */
export function defaultKind(): NodeKindDriver {
  return kindOf(undefined);
}

/** Every executable of every kind, in the kinds' order. */
export function kindExecutables(): KindExecutable[] {
  return kindDrivers().flatMap((driver) => driver.executables);
}

/** Finds these executables (each once), before anything starts: by executable name. */
export async function findExecutables(
  executables: Iterable<KindExecutable>,
): Promise<Record<string, FoundExecutable>> {
  const needed = [...new Set(executables)];
  const found = await Promise.all(needed.map((executable) => executable.find()));
  return Object.fromEntries(
    needed.map((executable, i) => [executable.spec.name, found[i] as FoundExecutable]),
  );
}
