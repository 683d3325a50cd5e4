import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { BITCOIND_EXECUTABLE } from "../../src/bitcoind/bitcoind.js";
import { findLdkServer } from "../../src/ldk-server/ldk-server.js";
import { findExecutable } from "../../src/processes/find-executable.js";

const VARS = ["LDK_REGTEST_CACHE", "BITCOIND_EXE", "LDK_SERVER_EXE"] as const;

/**
 * Points LDK_REGTEST_CACHE at a fresh temp dir for each test ("each") or for the suite ("all"), and
 * restores the environment after. With `pinDaemons`, the daemons found before (maybe in the real
 * cache) are pinned through BITCOIND_EXE / LDK_SERVER_EXE, so they are still found. Returns the dir.
 */
export function useTempCache(scope: "each" | "all", { pinDaemons = false } = {}): () => string {
  let cache = "";
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  (scope === "each" ? beforeEach : beforeAll)(async () => {
    if (pinDaemons) {
      const [bitcoind, ldkServer] = await Promise.all([findExecutable(BITCOIND_EXECUTABLE), findLdkServer()]);
      process.env.BITCOIND_EXE = bitcoind.path;
      process.env.LDK_SERVER_EXE = ldkServer.path;
    }
    cache = await mkdtemp(path.join(tmpdir(), "ldk-regtest-cache-"));
    process.env.LDK_REGTEST_CACHE = cache;
  });
  (scope === "each" ? afterEach : afterAll)(async () => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await rm(cache, { recursive: true, force: true });
  });
  return () => cache;
}
