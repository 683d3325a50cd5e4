import path from "node:path";
import { installDir } from "../src/cache/cache-dir.js";
import { findLdkServer } from "../src/ldk-server/ldk-server.js";
import { isTestBuild } from "../src/ldk-server/test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "../src/ldk-server/upstream.js";

export interface LdkServerBuild {
  label: "test" | "stock";
  /** The binary: every network started inside `withBuild` runs it (LDK_SERVER_EXE). */
  exe: string;
  version: string;
}

/**
 * With `--compare`: the test build found as usual and the stock one (`--stock-exe PATH`, else the cache's
 * `<cache>/ldk-server/<rev>`, as `install ldk-server --stock` puts it), to run paired in one bench.
 * Without: only the build found as usual.
 */
export async function ldkServerBuilds(args: readonly string[]): Promise<LdkServerBuild[]> {
  const found = await findLdkServer();
  const usual: LdkServerBuild = {
    label: isTestBuild(found.version) ? "test" : "stock",
    exe: found.path,
    version: found.version,
  };
  if (!args.includes("--compare")) return [usual];
  const given = args[args.indexOf("--stock-exe") + 1];
  const stockExe =
    args.includes("--stock-exe") && given
      ? path.resolve(given)
      : path.join(installDir("ldk-server", LDK_SERVER_UPSTREAM.rev), "bin", "ldk-server");
  const stock = await withBuild({ label: "stock", exe: stockExe, version: "" }, () => findLdkServer());
  if (usual.label !== "test" || isTestBuild(stock.version)) {
    throw new Error(
      `--compare needs the test build (found ${found.path}) and a stock build (found ${stock.path}): run \`ldk-regtest install ldk-server\` and \`ldk-regtest install ldk-server --stock\``,
    );
  }
  return [usual, { label: "stock", exe: stock.path, version: stock.version }];
}

/** Runs `fn` with LDK_SERVER_EXE pointing at `build`, restoring it after. */
export async function withBuild<T>(build: LdkServerBuild, fn: () => Promise<T>): Promise<T> {
  const before = process.env.LDK_SERVER_EXE;
  process.env.LDK_SERVER_EXE = build.exe;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.LDK_SERVER_EXE;
    else process.env.LDK_SERVER_EXE = before;
  }
}
