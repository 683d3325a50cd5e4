import path from "node:path";
import { installDir } from "../cache/cache-dir.js";
import { type ExecutableSpec, type FoundExecutable, findExecutable } from "../processes/find-executable.js";
import { LDK_SERVER_UPSTREAM, otherRevWarning } from "./upstream.js";

export const LDK_SERVER_EXECUTABLE: ExecutableSpec = {
  name: "ldk-server",
  envVar: "LDK_SERVER_EXE",
  versionArgs: ["--version"],
  versionPattern: /\d+\.\d+\.\d+/, // `0.1.0 (<git hash>)`
  installHint: `With Nix: \`nix develop\` in this repo. By hand: \`cargo install --locked --git https://github.com/lightningdevkit/ldk-server --rev ${LDK_SERVER_UPSTREAM.rev} ldk-server\`.`,
  // Only the pinned rev: another one may speak another API.
  cached: (env) => [path.join(installDir("ldk-server", LDK_SERVER_UPSTREAM.rev, env), "bin", "ldk-server")],
};

/** Resolves the ldk-server binary (LDK_SERVER_EXE, the cache, PATH), warning if it was built from another rev. */
export async function findLdkServer(): Promise<FoundExecutable> {
  const found = await findExecutable(LDK_SERVER_EXECUTABLE);
  const warning = otherRevWarning(found.version);
  if (warning && !warnedOtherRev) console.warn(warning);
  warnedOtherRev ||= warning !== undefined;
  return found;
}
let warnedOtherRev = false;
