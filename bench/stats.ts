import { readFileSync } from "node:fs";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? 0)
    : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

export function summary(values: number[]) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : undefined;
}
