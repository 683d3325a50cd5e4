import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { waitFor } from "../../src/waits/wait-for.js";

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
