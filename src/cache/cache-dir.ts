import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** Where installed daemons live: LDK_REGTEST_CACHE, else $XDG_CACHE_HOME/ldk-regtest, else ~/.cache/ldk-regtest. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LDK_REGTEST_CACHE) return path.resolve(env.LDK_REGTEST_CACHE);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), "ldk-regtest");
  return path.join(homedir(), ".cache", "ldk-regtest");
}

/** What the cache holds, one folder each: `ldk-server-lsps2` is ldk-server's LSP build. */
export type CachedDaemon = "bitcoind" | "ldk-server" | "ldk-server-lsps2" | "lnd";

/** `<cache>/bitcoind/<version>`, `<cache>/ldk-server/<rev>`, `<cache>/ldk-server-lsps2/<rev>` or `<cache>/lnd/<version>`: one folder per daemon and version. */
export function installDir(daemon: CachedDaemon, version: string, env?: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), daemon, version);
}

/** Installed binaries of one daemon, the `preferred` version first, then the others newest first. */
export function cachedBinaries(
  daemon: "bitcoind" | "ldk-server" | "lnd",
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
