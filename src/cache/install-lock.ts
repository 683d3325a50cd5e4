import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import { processOwner } from "../common/process-owner.js";

/**
 * Runs `fn` holding an exclusive lock on `target` (a `<target>.lock` directory: mkdir is atomic), so two
 * installs of the same daemon never write over each other: the second waits, then usually finds the
 * daemon installed. A lock whose owner died is taken over.
 */
export async function withInstallLock<T>(
  target: string,
  fn: () => Promise<T>,
  {
    timeoutMs = defaultTimeout("installLock"),
    onWait,
  }: { timeoutMs?: number; onWait?: (ownerPid: number) => void } = {},
): Promise<T> {
  const lock = `${target}.lock`;
  await mkdir(path.dirname(lock), { recursive: true });
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(await readFile(path.join(lock, "pid"), "utf8").catch(() => "0"));
    if (owner > 0 && processOwner(owner) === undefined) {
      await rm(lock, { recursive: true, force: true }); // its owner died mid-install
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new LdkRegtestError(
        "STATE_CONFLICT",
        `another install (pid ${owner}) has held ${lock} for ${timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${timeoutMs} ms`}; if none is running, delete that directory`,
        { data: { lock, ownerPid: owner, timeoutMs } },
      );
    }
    if (!told && owner > 0) {
      onWait?.(owner);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, defaultTimeout("pollFile")));
  }
  try {
    await writeFile(path.join(lock, "pid"), String(process.pid));
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
