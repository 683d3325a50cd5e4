import path from "node:path";
import { installDir } from "../cache/cache-dir.js";
import { type ExecutableSpec, type FoundExecutable, findExecutable } from "../processes/find-executable.js";
import { testBuildVersion } from "./test-knobs.js";
import { LDK_SERVER_UPSTREAM, otherRevWarning } from "./upstream.js";

/**
 * How ldk-server is found (`LDK_SERVER_EXE`, the cache, then `ldk-server` on PATH) and checked (`--version`).
 */
export const LDK_SERVER_EXECUTABLE: ExecutableSpec = {
  name: "ldk-server",
  envVar: "LDK_SERVER_EXE",
  versionArgs: ["--version"],
  versionPattern: /\d+\.\d+\.\d+/, // `0.1.0 (<git hash>)`
  installHint: `With Nix: \`nix develop\` in this repo. By hand: \`cargo install --locked --git https://github.com/lightningdevkit/ldk-server --rev ${LDK_SERVER_UPSTREAM.rev} ldk-server\`.`,
  // Only the pinned rev (another one may speak another API): the test build, else the stock one.
  cached: (env) => cachedBuilds("ldk-server", env),
};

/**
 * ldk-server built with `--features experimental-lsps2-support`: only an LSP node needs it (that build
 * refuses to start without `[liquidity.lsps2_service]`, so it cannot stand in for the default one).
 */
export const LDK_SERVER_LSPS2_EXECUTABLE: ExecutableSpec = {
  ...LDK_SERVER_EXECUTABLE,
  name: "ldk-server-lsps2",
  envVar: "LDK_SERVER_LSPS2_EXE",
  install: "ldk-server --lsps2",
  installHint: `By hand: \`cargo install --locked --git https://github.com/lightningdevkit/ldk-server --rev ${LDK_SERVER_UPSTREAM.rev} --features experimental-lsps2-support ldk-server\`, then point LDK_SERVER_LSPS2_EXE at it.`,
  cached: (env) => cachedBuilds("ldk-server-lsps2", env),
};

function cachedBuilds(daemon: "ldk-server" | "ldk-server-lsps2", env: NodeJS.ProcessEnv): string[] {
  const { rev } = LDK_SERVER_UPSTREAM;
  return [testBuildVersion(rev), rev].map((version) =>
    path.join(installDir(daemon, version, env), "bin", "ldk-server"),
  );
}

/** Resolves the LSP build (LDK_SERVER_LSPS2_EXE, the cache, `ldk-server-lsps2` on PATH). */
export function findLdkServerLsps2(): Promise<FoundExecutable> {
  return findExecutable(LDK_SERVER_LSPS2_EXECUTABLE);
}

/** Resolves the ldk-server binary (LDK_SERVER_EXE, the cache, PATH), warning if it was built from another rev. */
export async function findLdkServer(): Promise<FoundExecutable> {
  const found = await findExecutable(LDK_SERVER_EXECUTABLE);
  const warning = otherRevWarning(found.version);
  if (warning && !warnedOtherRev) console.warn(warning);
  warnedOtherRev ||= warning !== undefined;
  return found;
}
let warnedOtherRev = false;
