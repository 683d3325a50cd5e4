import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { LdkRegtestError } from "../common/errors.js";

/** One hunk of a unified diff: its file, the line it starts at in the original, and its `@@` header. */
export interface PatchHunk {
  file: string;
  oldStart: number;
  header: string;
}

/** The hunks of a unified diff, in order. */
export function patchHunks(patch: string): PatchHunk[] {
  const hunks: PatchHunk[] = [];
  let file = "";
  for (const line of patch.split("\n")) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target?.[1]) file = target[1];
    const hunk = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@.*$/.exec(line);
    if (hunk?.[1]) hunks.push({ file, oldStart: Number(hunk[1]), header: line });
  }
  return hunks;
}

/**
 * Applies `patchFile` to the tree in `dir` with `git apply`: every hunk's context must match exactly (no
 * fuzz; only a shift of lines is accepted), and nothing is changed unless every hunk applies. A hunk
 * that does not match fails naming the patch, the file and the hunk.
 */
export async function applyPatch(patchFile: string, dir: string, what: string): Promise<void> {
  const patch = await readFile(patchFile, "utf8");
  try {
    await promisify(execFile)("git", ["apply", "--whitespace=nowarn", patchFile], {
      cwd: dir,
      // Never the repository around `dir` (a git apply inside one takes its paths from that repo's root).
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(dir)) },
    });
  } catch (error) {
    const said = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    const failed = /patch failed: (.+):(\d+)/.exec(said);
    const missing = /error: (.+): No such file or directory/.exec(said);
    const hunk = failed
      ? patchHunks(patch).find((h) => h.file === failed[1] && h.oldStart === Number(failed[2]))
      : undefined;
    const where = hunk
      ? `its hunk "${hunk.header}" of ${hunk.file} does not match the source`
      : missing
        ? `${missing[1]} is not in the source`
        : `git apply said: ${said.trim().split("\n")[0]}`;
    throw new LdkRegtestError(
      "INSTALL_FAILED",
      `${path.basename(patchFile)} does not apply to ${what}: ${where}. Upstream code moved: the patch must be written anew for this source`,
      { cause: error, data: { patch: patchFile, file: hunk?.file ?? missing?.[1], hunk: hunk?.header } },
    );
  }
}
