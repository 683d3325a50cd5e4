import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { withInstallLock } from "./install-lock.js";

/**
 * Something in the cache built once and then reused (a ready chain, a network template): built by
 * `build(temp)` in a `<dir>.building-*` dir beside it, under the install lock so concurrent first users
 * build it once, and renamed into place when complete. Leftover building dirs of earlier failures are
 * removed first; `keepFailed` keeps this one's on failure (its error names it), else it is removed.
 */
export async function buildOnce(
  dir: string,
  isBuilt: (dir: string) => Promise<boolean>,
  build: (temp: string) => Promise<void>,
  { keepFailed = false }: { keepFailed?: boolean } = {},
): Promise<string> {
  if (await isBuilt(dir)) return dir;
  return withInstallLock(dir, async () => {
    if (await isBuilt(dir)) return dir; // another user built it meanwhile
    const parent = path.dirname(dir);
    const stale = (await readdir(parent)).filter((name) =>
      name.startsWith(`${path.basename(dir)}.building-`),
    );
    await Promise.all(stale.map((name) => rm(path.join(parent, name), { recursive: true, force: true })));
    const temp = await mkdtemp(`${dir}.building-`);
    try {
      await build(temp);
    } catch (error) {
      if (!keepFailed) await rm(temp, { recursive: true, force: true });
      throw error;
    }
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
    return dir;
  });
}
