import { constants } from "node:fs";
import { access, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { withInstallLock } from "../cache/install-lock.js";
import { reaper } from "../processes/reaper.js";

/** What an install did: the daemon, its version and binary, and whether this run installed it. */
export interface InstallResult {
  /** Its executable name: bitcoind, or a node kind's build. */
  daemon: string;
  /** Version (bitcoind, lnd) or rev (ldk-server). */
  version: string;
  /** The installed binary. */
  path: string;
  /** Whether this run installed it, or found it already there. */
  status: "installed" | "present";
  ms: number;
  /** ldk-server: whether it is ldk-regtest's test build (the knobs patch) rather than upstream's stock one. */
  testBuild?: boolean;
}

/**
 * Installs into `dir` atomically: `build(stage)` fills a temp dir beside it, which is renamed into place
 * only when complete. Under a lock, so a concurrent install waits and then finds the daemon present; the
 * temp dir is removed on failure and, through the watchdog, if the process dies.
 */
export async function stagedInstall(
  daemon: InstallResult["daemon"],
  version: string,
  dir: string,
  binary: string,
  options: { force?: boolean; log: (line: string) => void },
  build: (stage: string) => Promise<void>,
): Promise<InstallResult> {
  const started = Date.now();
  const exe = path.join(dir, "bin", binary);
  const result = (status: InstallResult["status"]): InstallResult => ({
    daemon,
    version,
    path: exe,
    status,
    ms: Date.now() - started,
  });
  if (!options.force && (await isExecutable(exe))) return result("present");
  return withInstallLock(
    dir,
    async () => {
      if (!options.force && (await isExecutable(exe))) return result("present"); // the other install did it
      await mkdir(path.dirname(dir), { recursive: true });
      const temp = await mkdtemp(path.join(path.dirname(dir), `.tmp-${path.basename(dir)}-`));
      reaper.removeOnExit(temp);
      try {
        const stage = path.join(temp, "stage");
        await mkdir(stage);
        await build(stage);
        await rm(dir, { recursive: true, force: true }); // --force: the old one goes only now
        await rename(stage, dir);
        return result("installed");
      } finally {
        await rm(temp, { recursive: true, force: true });
        reaper.keepDir(temp);
      }
    },
    { onWait: (pid) => options.log(`waiting for another install of ${daemon} (pid ${pid}) to finish…`) },
  );
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
