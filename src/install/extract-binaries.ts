import { execFile } from "node:child_process";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { LdkRegtestError } from "../common/errors.js";

const run = promisify(execFile);

/** Where a release tarball holds its binaries. */
export interface TarballLayout {
  /** What the tarball is, for errors ("a Bitcoin Core release tarball"). */
  what: string;
  /** Where binary `name` is, for errors ("bin/bitcoind"). */
  place: (name: string) => string;
  /** Whether archive member `member` is binary `name`. */
  holds: (member: string, name: string) => boolean;
}

/** `bitcoin-<version>/bin/<name>`. */
export const BITCOIN_CORE_TARBALL: TarballLayout = {
  what: "a Bitcoin Core release tarball",
  place: (name) => `bin/${name}`,
  holds: (member, name) => member === `bin/${name}` || member.endsWith(`/bin/${name}`),
};

/**
 * Extracts only the named binaries from a .tar.gz into `binDir` (0755), using the system's tar (GNU or
 * BSD). Anything else in the archive is never written.
 */
export async function extractBinaries(
  tarball: string,
  binDir: string,
  names: readonly string[],
  layout: TarballLayout,
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
    const member = members.find((m) => layout.holds(m, name));
    if (!member) {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        `${tarball} has no ${layout.place(name)}: not ${layout.what}`,
        { data: { file: tarball, missing: layout.place(name) } },
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
