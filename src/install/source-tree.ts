import { rm } from "node:fs/promises";
import path from "node:path";
import { LdkRegtestError } from "../common/errors.js";
import { runBuild } from "./run-build.js";

/**
 * Fetches one commit of a git repository into `dir` as a plain tree (no `.git`: a build script that asks
 * git for the rev then finds none, and takes the GIT_HASH we give it). A shallow fetch of that commit
 * only, so a large history costs nothing.
 */
export async function fetchSourceTree(
  url: string,
  rev: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<void> {
  const git = async (args: string[], what: string) => {
    const code = await runBuild("git", args, env, signal).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT"
        ? new LdkRegtestError(
            "INSTALL_FAILED",
            "git not found: the build fetches ldk-server's and ldk-node's sources with it. Install git and run this again",
            { data: { url } },
          )
        : error;
    });
    if (code !== 0) {
      throw new LdkRegtestError(
        "INSTALL_FAILED",
        `git could not ${what} (exit code ${code}); its output above says why`,
        { data: { url, rev, exitCode: code } },
      );
    }
  };
  await git(["init", "-q", dir], `create ${dir}`);
  await git(["-C", dir, "fetch", "-q", "--depth", "1", url, rev], `fetch ${rev.slice(0, 7)} from ${url}`);
  await git(
    ["-C", dir, "-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD"],
    `check out ${rev}`,
  );
  await rm(path.join(dir, ".git"), { recursive: true, force: true });
}
