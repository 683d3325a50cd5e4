import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** Where installed daemons live: LDK_REGTEST_CACHE, else $XDG_CACHE_HOME/ldk-regtest, else ~/.cache/ldk-regtest. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LDK_REGTEST_CACHE) return path.resolve(env.LDK_REGTEST_CACHE);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), "ldk-regtest");
  return path.join(homedir(), ".cache", "ldk-regtest");
}

/**
 * `<cache>/<daemon>/<version>`: one folder per daemon and version, by the daemon's executable name
 * (bitcoind, and each node kind's builds: src/kinds/registry.ts).
 */
export function installDir(daemon: string, version: string, env?: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), daemon, version);
}

/** Installed binaries of one daemon, the `preferred` version first, then the others newest first. */
export function cachedBinaries(
  daemon: string,
  preferred: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  let versions: string[] = [];
  try {
    versions = readdirSync(path.join(cacheDir(env), daemon)).filter((v) => !v.startsWith("."));
  } catch {
    // nothing installed yet
  }
  const others = versions
    .filter((v) => v !== preferred)
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  return [preferred, ...others].map((v) => path.join(installDir(daemon, v, env), "bin", daemon));
}
