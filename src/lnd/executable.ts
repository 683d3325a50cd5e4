import { createRequire } from "node:module";
import path from "node:path";
import { installDir } from "../cache/cache-dir.js";
import { type ExecutableSpec, type FoundExecutable, findExecutable } from "../processes/find-executable.js";

/** The lnd release ldk-regtest is tested against (its REST API and flags): the same pin as flake.nix. */
export const LND_VERSION: string = createRequire(import.meta.url)("../../upstream.json").lnd.version;

/** How lnd is found (`LND_EXE`, the cache, then `lnd` on PATH) and checked (`--version`). */
export const LND_EXECUTABLE: ExecutableSpec = {
  name: "lnd",
  envVar: "LND_EXE",
  versionArgs: ["--version"],
  versionPattern: /^lnd version \d+\.\d+\.\d+/, // `lnd version 0.21.3-beta commit=…`
  installHint: `lnd ${LND_VERSION} with lncli: \`install lnd\` builds it with Go, or installs its release tarball with --from-file.`,
  cached: (env) => [path.join(installDir("lnd", LND_VERSION, env), "bin", "lnd")],
};

/** Resolves the lnd binary: LND_EXE, then the ldk-regtest cache, then PATH. */
export function findLnd(env: NodeJS.ProcessEnv = process.env): Promise<FoundExecutable> {
  return findExecutable(LND_EXECUTABLE, env);
}

/** lncli beside the lnd that was found (the same build speaks the same API). */
export function lncliBeside(lnd: string): string {
  return path.join(path.dirname(lnd), "lncli");
}
