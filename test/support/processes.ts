import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { processOwner } from "../../src/common/process-owner.js";
import { waitFor } from "../../src/waits/wait-for.js";

/** Whether a process of ours has this pid. */
export function isAlive(pid: number): boolean {
  return processOwner(pid) === "ours";
}

/** PIDs of running processes with exactly this name (like `pgrep -x`). */
export function pidsNamed(name: string): number[] {
  try {
    return execFileSync("pgrep", ["-x", name], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Waits until none of `pids` is alive or `ms` passes; returns those still alive. */
export async function waitUntilGone(pids: number[], ms: number): Promise<number[]> {
  const alive = () => pids.filter(isAlive);
  return waitFor("processes gone", alive, { until: (left) => left.length === 0, timeoutMs: ms }).catch(() =>
    alive(),
  );
}
