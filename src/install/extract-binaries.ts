import { execFile } from "node:child_process";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { LdkRegtestError } from "../common/errors.js";

const run = promisify(execFile);

/**
 * Extracts only `bin/<name>` for each name from a .tar.gz into `binDir` (0755), using the system's tar
 * (GNU or BSD). Anything else in the archive is never written.
 */
export async function extractBinaries(
  tarball: string,
  binDir: string,
  names: readonly string[],
): Promise<void> {
  const { stdout } = await run("tar", ["-tzf", tarball], { maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `cannot read ${tarball} as a .tar.gz (${(error as Error).message.split("\n")[0]})`,
      { cause: error, data: { file: tarball } },
    );
  });
  const members = stdout.split("\n");
  const wanted = names.map((name) => {
    const member = members.find((m) => m === `bin/${name}` || m.endsWith(`/bin/${name}`));
    if (!member) {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        `${tarball} has no bin/${name}: not a Bitcoin Core release tarball`,
        {
          data: { file: tarball, missing: `bin/${name}` },
        },
      );
    }
    return { name, member };
  });
  const staging = path.join(binDir, "..", ".extract");
  await mkdir(staging, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", staging, ...wanted.map((w) => w.member)]);
  await mkdir(binDir, { recursive: true });
  for (const { name, member } of wanted) {
    await rename(path.join(staging, member), path.join(binDir, name));
    await chmod(path.join(binDir, name), 0o755);
  }
  await rm(staging, { recursive: true, force: true });
}
