import { createHash } from "node:crypto";
import { cp } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { buildOnce } from "../cache/build-once.js";
import { cacheDir } from "../cache/cache-dir.js";
import type { Topology } from "../node/topology-spec.js";
import { canonicalJson } from "./canonical.js";
import { readNetworkState } from "./network-state.js";

// This package's version is part of the key: another release may write the daemons' dirs differently.
const HARNESS_VERSION: string = createRequire(import.meta.url)("../../package.json").version;

/**
 * Where the template of a topology lives: `<cache>/networks/<key>`, keyed by the topology, both
 * daemons' versions (a new bitcoind, ldk-server or lnd build means a new template) and this package's version.
 */
export function templateDir(topology: Topology, versions: Readonly<Record<string, string>>): string {
  const key = createHash("sha256")
    .update(canonicalJson({ format: 1, harness: HARNESS_VERSION, topology, versions }))
    .digest("hex")
    .slice(0, 16);
  return path.join(cacheDir(), "networks", key);
}

/**
 * The template for `topology`: built once by `build(dir)` (start the network there, funded with usable
 * channels, and stop it cleanly), under a lock so concurrent first starts build it once. Returns its dir.
 */
export function ensureTemplate(dir: string, build: (dir: string) => Promise<void>): Promise<string> {
  // A failed build keeps its dir, which its error names (the next build of that key removes it).
  return buildOnce(dir, isTemplate, build, { keepFailed: true });
}

/** Copies the template into a network's own (fresh) run dir: templates are never run in place. */
export async function copyTemplate(template: string, into: string): Promise<void> {
  await cp(template, into, { recursive: true, force: true, errorOnExist: false });
}

async function isTemplate(dir: string): Promise<boolean> {
  return (await readNetworkState(dir).catch(() => undefined)) !== undefined;
}
