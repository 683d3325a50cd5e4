import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { cacheDir } from "../cache/cache-dir.js";
import { withInstallLock } from "../cache/install-lock.js";
import { canonicalJson } from "./canonical.js";
import { readNetworkState } from "./network-state.js";
import type { Topology } from "./topology.js";

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
export async function ensureTemplate(dir: string, build: (dir: string) => Promise<void>): Promise<string> {
  if (await isTemplate(dir)) return dir;
  return withInstallLock(dir, async () => {
    if (await isTemplate(dir)) return dir; // another start built it meanwhile
    // A failed build keeps its dir, which its error names; under the lock none of these is in use.
    const parent = path.dirname(dir);
    const stale = (await readdir(parent)).filter((name) =>
      name.startsWith(`${path.basename(dir)}.building-`),
    );
    await Promise.all(stale.map((name) => rm(path.join(parent, name), { recursive: true, force: true })));
    const temp = await mkdtemp(`${dir}.building-`);
    await build(temp);
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
    return dir;
  });
}

/** Copies the template into a network's own (fresh) run dir: templates are never run in place. */
export async function copyTemplate(template: string, into: string): Promise<void> {
  await cp(template, into, { recursive: true, force: true, errorOnExist: false });
}

async function isTemplate(dir: string): Promise<boolean> {
  return (await readNetworkState(dir).catch(() => undefined)) !== undefined;
}
