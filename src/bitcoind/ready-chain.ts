import { createHash } from "node:crypto";
import { cp, stat } from "node:fs/promises";
import path from "node:path";
import { buildOnce } from "../cache/build-once.js";
import { cacheDir } from "../cache/cache-dir.js";

/**
 * A ready regtest chain: the harness wallet and its first 101 blocks (a mature coinbase), as a stopped
 * bitcoind left them. Built once per bitcoind binary into `<cache>/chains/<key>` and copied into each
 * new data dir, so a start skips creating the chain (a few hundred ms of every network).
 */
export async function readyChain(
  executable: string,
  build: (dir: string) => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return buildOnce(await chainDir(executable, env), isChain, build);
}

/**
 * Copies the chain into a new bitcoind data dir: its `regtest/` tree only (not the config, logs or lock
 * of the bitcoind that built it; the new one writes its own).
 */
export async function copyReadyChain(chain: string, dataDir: string): Promise<void> {
  const skip = new Set(["debug.log", ".lock", ".cookie"]);
  await cp(path.join(chain, "regtest"), path.join(dataDir, "regtest"), {
    recursive: true,
    filter: (source) => !skip.has(path.basename(source)),
  });
}

/** Keyed by the binary (path, size, modification time): another build of bitcoind gets its own chain. */
async function chainDir(executable: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { size, mtimeMs } = await stat(executable);
  const key = createHash("sha256")
    .update(JSON.stringify({ format: 1, executable: path.resolve(executable), size, mtimeMs }))
    .digest("hex")
    .slice(0, 16);
  return path.join(cacheDir(env), "chains", key);
}

async function isChain(dir: string): Promise<boolean> {
  return stat(path.join(dir, "regtest", "blocks")).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
